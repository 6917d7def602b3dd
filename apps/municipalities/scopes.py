"""Who works where, as the SQL rows apps.core.permissions computes every user's scopes from.

Registered with ``apps.core.permissions.register_scope_rows`` in MunicipalitiesConfig.ready():
core sits below this app and cannot import its models.
"""

from __future__ import annotations

from apps.core.permissions import COORDINATES, COORDINATES_ALL, LEADS
from apps.core.sql import column, table

from .models import CoordinatorScope, Membership


def scope_union_sql(connection) -> str:
    """(user_id, municipality, kind) rows of every user: memberships (kind = role), the
    municipalities of coordinator scopes (``coordinator``) and one ``(user, NULL,
    coordinator_all)`` row per scope that covers every municipality. Plain SQL with the names
    read from the models: the UNION the ORM would build, without compiling three querysets on
    every request (see ``apps.core.sql``). A lead planner's membership adds a ``lead`` row."""
    through = CoordinatorScope.municipalities.through
    membership, scope, link = (table(connection, m) for m in (Membership, CoordinatorScope, through))
    link_scope = column(connection, through, CoordinatorScope.municipalities.field.m2m_field_name())
    link_municipality = column(
        connection, through, CoordinatorScope.municipalities.field.m2m_reverse_field_name()
    )
    scope_user = f"{scope}.{column(connection, CoordinatorScope, 'user')}"
    return (
        f"SELECT {column(connection, Membership, 'user')} AS user_id, "
        f"{column(connection, Membership, 'municipality')} AS municipality, "
        f"{column(connection, Membership, 'role')} AS kind FROM {membership} "
        f"UNION ALL SELECT {scope_user}, {link}.{link_municipality}, '{COORDINATES}' FROM {link} "
        f"INNER JOIN {scope} ON {link}.{link_scope} = {scope}.{column(connection, CoordinatorScope, 'pk')} "
        f"UNION ALL SELECT {scope_user}, NULL, '{COORDINATES_ALL}' FROM {scope} "
        f"WHERE {scope}.{column(connection, CoordinatorScope, 'all_municipalities')} = TRUE "
        f"UNION ALL SELECT {column(connection, Membership, 'user')}, "
        f"{column(connection, Membership, 'municipality')}, '{LEADS}' FROM {membership} "
        f"WHERE {column(connection, Membership, 'is_lead')} = TRUE"
    )
