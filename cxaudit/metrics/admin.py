from django.contrib import admin

from .models import MetricPeriod, MetricPeriodMonth


class MetricPeriodMonthInline(admin.TabularInline):
    model = MetricPeriodMonth
    extra = 0
    can_delete = False
    readonly_fields = ["month", "company"]


@admin.register(MetricPeriod)
class MetricPeriodAdmin(admin.ModelAdmin):
    """Read-only: periods are written through the services, which apply METHODOLOGY §6.2."""

    list_display = ["company", "kind", "starts_on", "ends_on", "currency", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["company__name"]
    list_select_related = ["company"]
    inlines = [MetricPeriodMonthInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
