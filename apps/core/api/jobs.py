"""``GET /api/v1/jobs/<id>/``: a background job's status, progress and result."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.jobs import job_for_user
from apps.core.models import Job

from .schema import VLRAutoSchema


class JobSerializer(serializers.ModelSerializer):
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    errors = serializers.ListField(
        child=serializers.CharField(), help_text="`row N, column C: reason` for an import"
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "stage",
            "done",
            "total",
            "percent",
            "message",
            "file_name",
            "params",
            "result",
            "errors",
            "municipality_id",
            "started_by",
            "created_at",
            "started_at",
            "finished_at",
        ]


class JobAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    url = serializers.URLField(help_text="GET it for status, progress and result (also in `Location`)")


def job_url(request, job: Job) -> str:
    return request.build_absolute_uri(reverse("api:job-detail", args=[job.pk]))


class JobView(APIView):
    """One job: whoever started it and whoever may see its municipality may read it; anyone else
    gets 404. A running job whose worker died is reported failed with the reason."""

    permission_classes = [IsAuthenticated]  # then job_for_user: 404 unless you may see it
    schema = VLRAutoSchema()

    @extend_schema(
        responses=JobSerializer,
        operation_id="job_retrieve",
        summary="작업 상태 / background job status and result",
    )
    def get(self, request, pk: int):
        try:
            job = job_for_user(request.user, pk)
        except Job.DoesNotExist:
            raise Http404 from None
        return Response(JobSerializer(job).data)


def job_accepted(request, job: Job) -> Response:
    """202 with the job's URL (body and ``Location``) for work handed to a worker."""
    url = job_url(request, job)
    return Response({"id": job.pk, "status": job.status, "url": url}, status=202, headers={"Location": url})
