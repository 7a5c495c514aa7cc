"""The file and log attacker against the language memory: a member who only ever checks in anonymously leaves no
locale behind, so nobody with copies of the files or the DEBUG log can tie a language (or a check-in's moment) to
them.

The bot keeps each member's Discord locale from their slash commands, for DMs in their language; it never does so
for the anonymous commands (/checkin, /feedback give), or a locale row written as a check-in lands would tie the
two together. The member here uses a locale nobody else in the server has (zh-TW), so its bytes are a marker the
attacker can search for; a control member's locale (pt-BR) is found, which shows the search would find one.
"""

from __future__ import annotations

from tests.privacy.forensics import Snapshot, id_markers, production_debug_log, take_snapshot
from tests.support.checkin_actions import check_in, code_of
from tests.support.db import db_rows

MARKER, CONTROL = "zh-TW", "pt-BR"


def holders(snapshot: Snapshot, needle: bytes) -> list[str]:
    """The files of a snapshot that hold some bytes."""
    return [name for name, data in snapshot.files.items() if needle in data]


async def test_a_member_who_only_checks_in_leaves_no_locale_anywhere(make_harness) -> None:
    snapshots: list[Snapshot] = []
    with production_debug_log() as written:
        async with make_harness(trainees=3) as h:
            await h.run(h.group.owner, "setup", timezone="Europe/London", digest_channel=h.group.channels["digest"])
            anonymous, control, other = h.group.trainees
            anonymous.user.locale, control.user.locale = MARKER, CONTROL
            folder = h.db_path.parent
            first = await check_in(
                h, anonymous, dimensions=("helpless",), text="words only the group reads", share=True
            )
            snapshots.append(take_snapshot(folder, "after the first check-in"))
            second = await check_in(h, anonymous, dimensions=("parental",), intensity="4")
            snapshots.append(take_snapshot(folder, "after the second check-in"))
            replies = await h.run(anonymous, "checkin replies", code=code_of(first))
            assert replies.ephemeral
            withdrawn = await h.run(anonymous, "checkin withdraw", code=code_of(second))
            assert "Withdrawn" in withdrawn.content
            snapshots.append(take_snapshot(folder, "after a withdrawal"))
            # Others use the bot as usual meanwhile; the control member's locale is remembered.
            await check_in(h, other)
            await h.run(control, "help")
            await h.run(other, "about")
            snapshots.append(take_snapshot(folder, "while running"))
            assert db_rows(h, "SELECT locale FROM member_locales WHERE user_id = ?", anonymous.id) == []
            assert db_rows(h, "SELECT locale FROM member_locales WHERE user_id = ?", control.id) == [(CONTROL,)]
        snapshots.append(take_snapshot(folder, "after a clean stop"))
    log = written.getvalue()
    assert "INTERACTION_CREATE" in log  # DEBUG really logged the interactions
    # The attacker's search works: the control member's locale is on disk, as it should be.
    assert holders(snapshots[-2], CONTROL.encode())
    for snapshot in snapshots:
        assert snapshot.files, snapshot.label
        assert holders(snapshot, MARKER.encode()) == [], f"{snapshot.label}: the locale is on disk"
        # Nothing keyed to the member at all: no row anywhere carries their id, in any encoding.
        for marker in id_markers(anonymous.id):
            assert holders(snapshot, marker) == [], f"{snapshot.label}: the member's id is on disk"
    assert MARKER not in log and str(anonymous.id) not in log
