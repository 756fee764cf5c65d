"""Who `scripts/bench.py` acts as, read from (and prepared in) a loaded data set:

    DATABASE_URL=... python scripts/bench_people.py probe      # "yes" when it is loaded
    DATABASE_URL=... python scripts/bench_people.py prepare '{"givers": 2000, ...}'

`prepare` prints JSON: a staff member and a colleague in the largest team, its lead, the
admin, and write-scope API tokens for the givers and writers (made afresh each run). The
givers' allowance for this week is reset: giving kudos is what is measured, not the limit.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, select  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.auth.tokens import create_token  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.game.jobs import settle_seasons_of  # noqa: E402
from webapp.kudos.services import current_week  # noqa: E402
from webapp.models import (  # noqa: E402
    ApiToken,
    KudosAllowanceUse,
    Membership,
    Organisation,
    Team,
    User,
)

SLUG = "load"
# Who writes: the first `givers` staff give kudos, staff from 2,500 on log moments once,
# staff from 5,000 on log again and again. The ranges never overlap: a person has one
# "bench" token, so a second kind would take the first kind's token away (401s).
FIRST = {"givers": 0, "writers": 2500, "again": 5000}


def loaded() -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == SLUG))


def prepare(wanted: dict[str, int]) -> dict[str, Any]:
    session = db.session
    org = loaded()
    assert org is not None
    # What the periodic job would have done by now (seasons made and closed): the pages
    # are measured, not the job.
    settle_seasons_of(org.id)
    biggest = session.scalar(
        select(Team).where(Team.org_id == org.id).order_by(Team.live_members.desc())
    )
    in_team = select(User).join(Membership).where(Membership.team_id == biggest.id)
    lead = session.scalar(in_team.where(Membership.role == "lead"))
    staff = session.scalars(
        in_team.where(Membership.role == "member").order_by(User.id).limit(2)
    ).all()
    everyone = session.execute(
        select(User.id, Membership.team_id)
        .join(Membership)
        .where(User.org_id == org.id, User.role == "staff")
        .order_by(User.id)
    ).all()
    tokens: dict[str, list[dict[str, Any]]] = {}
    spans = sorted((FIRST[kind], FIRST[kind] + count) for kind, count in wanted.items())
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans)), spans
    for kind, count in wanted.items():
        tokens[kind] = []
        for user_id, team_id in everyone[FIRST[kind] : FIRST[kind] + count]:
            session.execute(
                delete(ApiToken).where(ApiToken.user_id == user_id, ApiToken.name == "bench")
            )
            _token, raw = create_token(session, session.get_one(User, user_id), "bench", "write")
            tokens[kind].append({"token": raw, "team": team_id, "user": user_id})
    givers = [t["user"] for t in tokens.get("givers", [])]
    session.execute(
        delete(KudosAllowanceUse).where(
            KudosAllowanceUse.user_id.in_(givers),
            KudosAllowanceUse.week_start == current_week(org),
        )
    )
    session.commit()
    return {
        "staff": staff[0].email,
        "colleague": staff[1].id,
        "lead": lead.email,
        "admin": f"admin@{SLUG}.test",
        "value": org.values[0].id,
        "people": [user_id for user_id, _team in everyone],
        "tokens": tokens,
    }


def main() -> None:
    app = create_app({"JOBS_SCHEDULER": False})
    with app.app_context():
        if sys.argv[1] == "probe":
            print("yes" if loaded() is not None else "no")
        else:
            print(json.dumps(prepare(json.loads(sys.argv[2]))))


if __name__ == "__main__":
    main()
