from django.contrib import admin

from .models import AuditReportOptions, ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "company",
        "subject_kind",
        "subject_id",
        "language",
        "format",
        "status",
        "progress",
        "attempts",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "subject_kind", "language", "format"]
    search_fields = ["company__name", "requested_by__email"]
    raw_id_fields = ["company", "audit", "requested_by"]
    readonly_fields = [
        "file",
        "size",
        "pages",
        "claim_token",
        "claimed_by",
        "error_detail",
        "created_at",
        "dispatched_at",
        "next_attempt_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "file_deleted_at",
        "sections",
        "draft",
        "snapshot",
    ]


@admin.register(AuditReportOptions)
class AuditReportOptionsAdmin(admin.ModelAdmin):
    list_display = ["audit", "updated_by", "updated_at"]
    raw_id_fields = ["audit", "updated_by"]
