"""Coordinator services on agent accounts."""

from collections.abc import Iterable

from django.db import transaction

from promotions.models import Administration

from .models import AgentProfile


@transaction.atomic
def agent_profiles_confirm(*, profiles: Iterable[AgentProfile]) -> int:
    """Confirm agents' membership of their administration (and confirm a requested one).

    A confirmed agent shares all of its administration's proposals. An administration created
    on an agent's request becomes confirmed with its first confirmed agent. Returns the number
    of profiles newly confirmed; confirming twice changes nothing.
    """
    ids = [p.pk for p in profiles]
    pending = AgentProfile.objects.filter(pk__in=ids, is_confirmed=False)
    administration_ids = list(pending.values_list("administration_id", flat=True))
    confirmed = pending.update(is_confirmed=True)
    # One save per administration (few) so simple-history records the confirmation.
    for administration in Administration.objects.filter(
        pk__in=administration_ids, is_confirmed=False
    ):
        administration.is_confirmed = True
        administration.save(update_fields=["is_confirmed"])
    return confirmed
