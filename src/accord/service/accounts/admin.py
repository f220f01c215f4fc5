"""The site administration manages accounts only: no case, preference, answer or message."""

from __future__ import annotations

from django.contrib import admin

from accord.service.accounts.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("email", "name", "can_mediate", "is_active", "is_staff", "last_login")
    list_filter = ("can_mediate", "is_active", "is_staff")
    search_fields = ("email", "name")
    fields = ("email", "name", "can_mediate", "is_active", "is_staff", "last_login", "date_joined")
    readonly_fields = ("last_login", "date_joined")
    ordering = ("email",)

    def has_delete_permission(self, request: object, obj: Person | None = None) -> bool:
        # The audit log names people: deactivate an account rather than delete it.
        return False
