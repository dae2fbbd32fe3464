"""Budgets of attempts, counted in the database: a budget allows `limit` attempts in a window of
`seconds`; spent, it stays closed for `seconds` from the attempt that spent it.

Counting is atomic: an attempt takes its place in every budget it draws on (all or none, under
row locks taken in key order) *before* the work it stands for is done. Sixty requests at once
against a budget of five are five that go ahead and fifty-five that are refused, never sixty
that read "four so far" and all proceed.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from certification.models import AttemptCounter


@dataclass(frozen=True)
class Budget:
    key: str
    limit: int
    seconds: int


def budget_key(kind: str, *parts: str) -> str:
    """A key that names what is counted without storing it (usernames, addresses)."""
    return f"{kind}:{hashlib.sha256(chr(10).join(parts).encode()).hexdigest()}"


class BudgetSpent(Exception):
    """The budget `budget` has no attempt left until `until`."""

    def __init__(self, budget: Budget, until: datetime) -> None:
        super().__init__(budget.key)
        self.budget = budget
        self.until = until

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))


def _restart_if_over(counter: AttemptCounter, budget: Budget, now: datetime) -> None:
    ends = counter.spent_until or counter.window_started_at + timedelta(seconds=budget.seconds)
    if ends <= now:
        counter.count, counter.window_started_at, counter.spent_until = 0, now, None


def spend(*budgets: Budget) -> None:
    """Take one attempt from each budget, or from none: BudgetSpent names the first one that has
    none left, and when it opens again."""
    budgets = tuple(sorted(budgets, key=lambda budget: budget.key))
    now = timezone.now()
    with transaction.atomic():
        AttemptCounter.objects.bulk_create(
            [AttemptCounter(key=budget.key, window_started_at=now) for budget in budgets], ignore_conflicts=True
        )
        locked = AttemptCounter.objects.select_for_update().filter(key__in=[b.key for b in budgets]).order_by("key")
        counters = {counter.key: counter for counter in locked}
        for budget in budgets:
            counter = counters[budget.key]
            _restart_if_over(counter, budget, now)
            if counter.count >= budget.limit:
                raise BudgetSpent(budget, counter.spent_until or now + timedelta(seconds=budget.seconds))
        for budget in budgets:
            counter = counters[budget.key]
            counter.count += 1
            if counter.count >= budget.limit:
                counter.spent_until = now + timedelta(seconds=budget.seconds)
            counter.save(update_fields=["count", "window_started_at", "spent_until"])


def give_back(*budgets: Budget, every_attempt_of: Budget | None = None) -> None:
    """Return the attempt just taken from each budget (every attempt, from `every_attempt_of`),
    in one transaction: it turned out not to count, as a sign-in that succeeded is no failure.
    A budget it had spent opens again."""
    by_key = {budget.key: budget for budget in budgets}
    with transaction.atomic():
        for counter in AttemptCounter.objects.select_for_update().filter(key__in=by_key).order_by("key"):
            budget = by_key[counter.key]
            counter.count = 0 if budget == every_attempt_of else max(0, counter.count - 1)
            if counter.count < budget.limit:
                counter.spent_until = None
            counter.save(update_fields=["count", "spent_until"])


def forgive(budget: Budget) -> bool:
    """Open the budget at once, as an operator may (`manage.py unlock_sign_in`); False when it had
    counted nothing."""
    return AttemptCounter.objects.filter(key=budget.key).delete()[0] > 0


def forget_spent_budgets(*, older_than: timedelta) -> int:
    """Remove the counters whose window began longer ago than `older_than` and that are not
    spent beyond now: they would start from zero anyway."""
    now = timezone.now()
    stale = AttemptCounter.objects.filter(window_started_at__lt=now - older_than).exclude(spent_until__gt=now)
    return stale.delete()[0]
