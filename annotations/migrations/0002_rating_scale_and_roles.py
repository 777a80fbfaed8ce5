"""Seed the rating scale and the two newsroom roles.

The scale is data, not code: admins change labels, colours and descriptions in the admin.
Colours are light backgrounds under dark text (#1b1f24), each above 7:1 contrast.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

SCALE = [
    # slug, label, rating value, colour, description
    ("true", "True", 6, "#b7e4c7", "The claim is accurate and nothing significant is missing."),
    ("mostly-true", "Mostly true", 5, "#d8f3dc", "Accurate but needs clarification or context."),
    ("half-true", "Half true", 4, "#fff3b0", "Partially accurate; leaves out important details."),
    ("misleading", "Misleading", 3, "#ffe0b2", "Contains some truth but gives a false impression."),
    (
        "mostly-false",
        "Mostly false",
        2,
        "#ffd6d6",
        "Contains a grain of truth but ignores key facts.",
    ),
    ("false", "False", 1, "#ffb3b3", "The claim is not accurate."),
    (
        "unverifiable",
        "Unverifiable",
        0,
        "#e2e6ea",
        "Evidence available cannot prove or disprove it.",
    ),
]

EDITOR_PERMISSIONS = [
    "view_verdict",
    "add_article",
    "change_article",
    "view_article",
    "add_articlerevision",
    "view_articlerevision",
    "add_claim",
    "change_claim",
    "delete_claim",
    "view_claim",
    "add_source",
    "change_source",
    "view_source",
    "add_claimsource",
    "change_claimsource",
    "delete_claimsource",
    "view_claimsource",
    "add_comment",
    "view_comment",
    "view_review",
]
REVIEWER_PERMISSIONS = EDITOR_PERMISSIONS + ["add_review"]


def seed(apps, schema_editor):
    Verdict = apps.get_model("annotations", "Verdict")
    for slug, label, value, colour, description in SCALE:
        Verdict.objects.update_or_create(
            slug=slug,
            defaults={
                "label": label,
                "rating_value": value,
                "colour": colour,
                "description": description,
            },
        )
    # Permissions are normally created after migrations; roles need them now.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [("editor", EDITOR_PERMISSIONS), ("reviewer", REVIEWER_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="annotations", codename__in=codenames)
        )


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["editor", "reviewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
