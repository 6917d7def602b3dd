"""The permission matrix: one table, read by the API tests (and reusable by the UI tests).

Each line says: for this **resource** (an object of 중랑구 11260, ``muni_a``, in the state the
name gives) and this **action**, each **actor** gets this HTTP status. ``tests/api/test_permissions.py``
turns every cell into one test; a UI test can map the same (resource, action) pairs to its
views and reuse ``expected()``/``ROWS`` (UI views answer 302-to-login where the API says 401).

Actors (fixtures in ``tests/conftest.py`` plus ``coordinator_c`` in ``tests/api/conftest.py``):

=============  ==================  ============================================================
column         fixture             who
=============  ==================  ============================================================
anon           ``anon``            not logged in
viewer         ``viewer_a``        viewer member of 중랑구 (reads its drafts)
planner        ``planner_a``       planner of 중랑구: the city that owns the object
planner_other  ``planner_b``       planner of 광명시: another city
coord_in       ``coordinator``     coordinator whose network includes 중랑구
coord_out      ``coordinator_c``   coordinator whose network is 하남시 only
admin          ``admin``           superuser
=============  ==================  ============================================================

Resources: the API resource name, ``:public`` / ``:published`` for the variant anybody may read,
``@state`` for the edition status a workflow verb starts from. Actions: ``list`` (200, and the
object is in the list exactly when ``retrieve`` is 200), ``retrieve``, ``create`` (a new object
in 중랑구, or under the resource's parent object), ``update`` (PATCH), ``delete`` and the
workflow verbs (``submit`` … ``reopen``; ``confirm``/``reject`` of a suggested evidence link;
``ingest`` pasted text naming 중랑구; ``import`` an observations CSV for 중랑구 and
``import_background`` the same as a background job (202); ``workbook`` download; for
``framework``, ``import`` a framework csv as 중랑구's local framework; ``align`` sets the
``framework_nodes`` of an indicator or initiative by PATCH: ``:aligned`` is one of 중랑구's,
aligned to a node of 중랑구's framework (``align``) or of 광명시's (``align_elsewhere``: refused,
400, by whoever may edit it); ``framework-node:elsewhere`` is a node of 중랑구's framework that
광명시's indicator B-1 is aligned to, which 광명시's planner may not do). ``framework``,
``framework-node`` and ``crosswalk`` are 중랑구's local framework, one of its nodes and one of its
links to a UN target; ``:shared`` is the K-SDG framework or one of its nodes (reference data:
anybody reads it, admins change it). ``job``: a
background job about 중랑구 started by someone else; ``job:started_elsewhere``: one started by
planner_other about no municipality (only its starter and the admin see it). ``data-call``: a
closed data call of 중랑구 (``@open``: the open one); a coordinator in scope or a lead planner
opens and closes calls, the city's members read them, nobody else sees them. Reading rules: 404 = you cannot see it, 403 = you can see it but not do this,
401 = log in first, 405 = this resource never allows it, 400 = refused by a domain rule
(e.g. a locked edition) or the parent object is invisible to you (so "does not exist").
"""

from __future__ import annotations

from dataclasses import dataclass

ACTORS = ("anon", "viewer", "planner", "planner_other", "coord_in", "coord_out", "admin")
ACTOR_FIXTURES = {
    "anon": "anon",
    "viewer": "viewer_a",
    "planner": "planner_a",
    "planner_other": "planner_b",
    "coord_in": "coordinator",
    "coord_out": "coordinator_c",
    "admin": "admin",
}

TABLE = """
# resource                 action           anon viewer planner planner_other coord_in coord_out admin
goal                       list             200  200    200     200           200      200       200
goal                       retrieve         200  200    200     200           200      200       200
goal                       create           405  405    405     405           405      405       405
goal                       update           405  405    405     405           405      405       405
goal                       delete           405  405    405     405           405      405       405
target                     list             200  200    200     200           200      200       200
target                     retrieve         200  200    200     200           200      200       200
target                     create           405  405    405     405           405      405       405
target                     update           405  405    405     405           405      405       405
target                     delete           405  405    405     405           405      405       405
indicator                  list             200  200    200     200           200      200       200
indicator                  retrieve         200  200    200     200           200      200       200
indicator                  create           405  405    405     405           405      405       405
indicator                  update           405  405    405     405           405      405       405
indicator                  delete           405  405    405     405           405      405       405
municipality               list             200  200    200     200           200      200       200
municipality               retrieve         200  200    200     200           200      200       200
municipality               create           405  405    405     405           405      405       405
municipality               update           405  405    405     405           405      405       405
municipality               delete           405  405    405     405           405      405       405

framework                  list             200  200    200     200           200      200       200
framework                  retrieve         404  200    200     404           200      404       200
framework                  create           401  403    201     403           403      403       201
framework                  update           401  403    200     404           403      404       200
framework                  delete           401  403    204     404           403      404       204
framework                  import           401  403    200     403           403      403       200
framework:shared           list             200  200    200     200           200      200       200
framework:shared           retrieve         200  200    200     200           200      200       200
framework:shared           update           401  403    403     403           403      403       200
framework-node             retrieve         404  200    200     404           200      404       200
framework-node             create           401  403    201     400           403      400       201
framework-node             update           401  403    200     404           403      404       200
framework-node             delete           401  403    204     404           403      404       204
framework-node:shared      retrieve         200  200    200     200           200      200       200
framework-node:shared      create           401  403    403     403           403      403       201
framework-node:shared      update           401  403    403     403           403      403       200
framework-node:elsewhere   align            401  404    404     400           403      404       400
crosswalk                  list             200  200    200     200           200      200       200
crosswalk                  retrieve         404  200    200     404           200      404       200
crosswalk                  create           401  403    201     400           403      400       201
crosswalk                  update           401  405    405     405           405      405       405
crosswalk                  delete           401  403    204     404           403      404       204

local-indicator            list             200  200    200     200           200      200       200
local-indicator            retrieve         404  200    200     404           200      404       200
local-indicator            create           401  403    201     403           403      403       201
local-indicator            update           401  403    200     404           403      404       200
local-indicator            delete           401  403    204     404           403      404       204
local-indicator:public     list             200  200    200     200           200      200       200
local-indicator:public     retrieve         200  200    200     200           200      200       200
local-indicator:public     update           401  403    200     403           403      403       200
local-indicator:public     delete           401  403    204     403           403      403       204
local-indicator:aligned    align            401  403    200     404           403      404       200
local-indicator:aligned    align_elsewhere  401  403    400     404           403      404       400

observation                list             200  200    200     200           200      200       200
observation                retrieve         404  200    200     404           200      404       200
observation                create           401  403    201     400           403      400       201
observation                update           401  403    200     404           403      404       200
observation                delete           401  403    204     404           403      404       204
observation                import           401  403    200     403           403      403       200
observation                import_background 401 403    202     403           403      403       202
observation:public         list             200  200    200     200           200      200       200
observation:public         retrieve         200  200    200     200           200      200       200
observation:public         create           401  403    201     403           403      403       201
observation:public         update           401  403    200     403           403      403       200
observation:public         delete           401  403    204     403           403      403       204

initiative                 list             200  200    200     200           200      200       200
initiative                 retrieve         404  200    200     404           200      404       200
initiative                 create           401  403    201     403           403      403       201
initiative                 update           401  403    200     404           403      404       200
initiative                 delete           401  403    204     404           403      404       204
initiative:public          list             200  200    200     200           200      200       200
initiative:public          retrieve         200  200    200     200           200      200       200
initiative:public          update           401  403    200     403           403      403       200
initiative:public          delete           401  403    204     403           403      403       204
initiative:aligned         align            401  403    200     404           403      404       200
initiative:aligned         align_elsewhere  401  403    400     404           403      404       400

progress-update            list             200  200    200     200           200      200       200
progress-update            retrieve         404  200    200     404           200      404       200
progress-update            create           401  403    201     400           403      400       201
progress-update            update           401  403    200     404           403      404       200
progress-update            delete           401  403    204     404           403      404       204

document                   list             200  200    200     200           200      200       200
document                   retrieve         404  200    200     404           200      404       200
document                   update           401  403    200     404           403      404       200
document                   delete           401  403    204     404           403      404       204
document                   ingest           401  403    201     403           201      403       201
document:public            list             200  200    200     200           200      200       200
document:public            retrieve         200  200    200     200           200      200       200
document:public            update           401  403    200     403           403      403       200

evidence-link              list             200  200    200     200           200      200       200
evidence-link              retrieve         404  200    200     404           200      404       200
evidence-link              create           401  403    201     400           201      400       201
evidence-link              update           401  405    405     405           405      405       405
evidence-link              delete           401  405    405     405           405      405       405
evidence-link              confirm          401  403    200     404           200      404       200
evidence-link              reject           401  403    200     404           200      404       200

edition                    list             200  200    200     200           200      200       200
edition                    retrieve         404  200    200     404           200      404       200
edition                    create           401  403    201     403           403      403       201
edition                    update           401  403    200     404           403      404       200
edition                    delete           401  405    405     405           405      405       405
edition                    workbook         404  200    200     404           200      404       200
edition:published          list             200  200    200     200           200      200       200
edition:published          retrieve         200  200    200     200           200      200       200
edition:published          update           401  403    400     403           403      403       400
edition:published          workbook         200  200    200     200           200      200       200
edition@draft              submit           401  403    200     404           403      404       200
edition@submitted          submit           401  403    409     404           403      404       409
edition@submitted          request_changes  401  403    403     404           200      404       200
edition@submitted          approve          401  403    403     404           200      404       200
edition@draft              approve          401  403    403     404           409      404       409
edition@approved           publish          401  403    403     404           200      404       200
edition@approved           reopen           401  403    403     404           200      404       200

edition-section            list             200  200    200     200           200      200       200
edition-section            retrieve         404  200    200     404           200      404       200
edition-section            create           401  405    405     405           405      405       405
edition-section            update           401  403    200     404           403      404       200
edition-section            delete           401  405    405     405           405      405       405
edition-section@submitted  update           401  403    400     404           403      404       400

comment                    list             200  200    200     200           200      200       200
comment                    retrieve         404  200    200     404           200      404       200
comment                    create           401  403    201     400           201      400       201
comment                    update           401  405    405     405           405      405       405
comment                    delete           401  405    405     405           405      405       405

ordinance-review           list             200  200    200     200           200      200       200
ordinance-review           retrieve         404  200    200     404           200      404       200
ordinance-review           create           401  403    201     403           403      403       201
ordinance-review           update           401  403    200     404           403      404       200
ordinance-review           delete           401  403    204     404           403      404       204
participation-record       list             200  200    200     200           200      200       200
participation-record       retrieve         404  200    200     404           200      404       200
participation-record       create           401  403    201     403           403      403       201
participation-record       update           401  403    200     404           403      404       200
participation-record       delete           401  403    204     404           403      404       204
cycle-date                 list             200  200    200     200           200      200       200
cycle-date                 retrieve         404  200    200     404           200      404       200
cycle-date                 create           401  403    201     403           403      403       201
cycle-date                 update           401  403    200     404           403      404       200
cycle-date                 delete           401  403    204     404           403      404       204
cycle-settings             list             200  200    200     200           200      200       200
cycle-settings             retrieve         404  200    200     404           200      404       200
cycle-settings             update           401  403    200     404           403      404       200
cycle-settings             calendar         404  200    200     404           200      404       200
submission                 list             200  200    200     200           200      200       200
submission                 retrieve         404  200    200     404           200      404       200
submission                 file             404  200    200     404           200      404       200
assessment-panel           list             200  200    200     200           200      200       200
assessment-panel           retrieve         404  200    200     404           200      404       200
assessment-panel           create           401  403    201     400           403      400       201
assessment-panel           ratings          401  403    200     404           403      404       200

job                        retrieve         401  200    200     404           200      404       200
job:started_elsewhere      retrieve         401  404    404     200           404      404       200

data-call                  list             200  200    200     200           200      200       200
data-call                  retrieve         404  200    200     404           200      404       200
data-call                  create           401  403    403     403           201      403       201
data-call                  update           401  405    405     405           405      405       405
data-call                  delete           401  405    405     405           405      405       405
data-call                  completeness     404  200    200     404           200      404       200
data-call@open             close            401  403    403     404           200      404       200

me                         retrieve         401  200    200     200           200      200       200
"""


@dataclass(frozen=True)
class Row:
    resource: str
    action: str
    actor: str
    status: int

    @property
    def id(self) -> str:
        return f"{self.resource}-{self.action}-{self.actor}"


def _parse(table: str) -> list[Row]:
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    for line in table.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        resource, action, *statuses = line.split()
        if len(statuses) != len(ACTORS):
            raise ValueError(
                f"permission table: {len(statuses)} statuses for {len(ACTORS)} actors in {line!r}"
            )
        if (resource, action) in seen:
            raise ValueError(f"permission table: duplicate line {resource} {action}")
        seen.add((resource, action))
        rows.extend(Row(resource, action, actor, int(status)) for actor, status in zip(ACTORS, statuses))
    return rows


ROWS: list[Row] = _parse(TABLE)
_INDEX = {(r.resource, r.action, r.actor): r.status for r in ROWS}


def expected(resource: str, action: str, actor: str) -> int:
    return _INDEX[(resource, action, actor)]


def can_see(resource: str, actor: str) -> bool:
    """The object is in the list exactly when the actor may retrieve it."""
    return expected(resource.split("@")[0], "retrieve", actor) == 200
