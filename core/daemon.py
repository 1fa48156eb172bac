"""What a running daemon offers its plugins: the practice's practitioner, the event stream, the
journal and the state of outbox items — and nothing else of the application's insides.

Hooks that run in a live daemon receive it as ``daemon`` (``startup``, ``shutdown``); an
operation's handler reaches it as ``call.daemon``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from aiohttp import web

from aiguillage import outbox as ob
from aiguillage.appkeys import EVENTS, JOURNAL, OUTBOX, PLUGINS, SETTINGS
from aiguillage.events import Subscription
from aiguillage.journal import Entry, JournalFilter, select
from aiguillage.problems import FieldError, validation_problem
from aiguillage.security.practitioner import Practitioner

if TYPE_CHECKING:
    from aiguillage.hookspecs import Call


class Daemon:
    def __init__(self, app: web.Application) -> None:
        self._app = app

    @property
    def practitioner(self) -> Practitioner:
        """The practice's practitioner (the config's ``[practitioner]`` table); an operation
        applies a request's ``practitioner`` object with ``.override(body["practitioner"])``."""
        return self._app[SETTINGS].practitioner

    def publish(self, event_type: str, data: dict[str, Any], scope: str | None = None) -> None:
        """Publish an event on ``GET /v1/events``, to apps holding ``scope`` (``None``: all)."""
        self._app[EVENTS].publish(event_type, data, scope=scope)

    def subscribe(self) -> Subscription:
        """Listen to the event stream from now on (``await sub.get(wait)``; ``None`` when
        nothing came within ``wait`` seconds or the daemon stops; ``sub.close()`` when done)."""
        subscription, _ = self._app[EVENTS].subscribe()
        return subscription

    @property
    def stopping(self) -> bool:
        """True once the daemon is shutting down: loops over the event stream end then."""
        return self._app[EVENTS].closed

    async def journal(self, entry: Entry, durable: bool = False) -> None:
        """Append ``entry`` to the journal; returns once it is committed. ``durable=False`` (the
        default, right for a synchronous exchange that is answered at once) skips the wait for
        the disk: the row survives a crash of the daemon, not a power cut."""
        await self._app[JOURNAL].record(entry, durable=durable)

    def journal_rows(self, f: JournalFilter) -> list[dict[str, Any]]:
        """Journal rows matching ``f``, newest first unless ``f.ascending``."""
        return list(select(self._app[JOURNAL].reader, f))

    def item(self, item_id: int) -> ob.Item | None:
        """The outbox item ``item_id`` (its attachments' metadata, not their bytes), or
        ``None`` when there is none. A plugin shows its own items' state this way."""
        try:
            return ob.get(self._app[OUTBOX].reader, item_id)
        except ob.NotFound:
            return None

    def patient_items(
        self, plugin: str, patient: str, before_id: int | None = None, limit: int = 100
    ) -> list[ob.Item]:
        """The outbox items of ``plugin`` about ``patient`` (an INS), newest first, with their
        payloads (``None`` once purged); page on with ``before_id``, the last id seen."""
        f = ob.ItemFilter(plugins=[plugin], patient=patient, before_id=before_id, limit=limit)
        return ob.select(self._app[OUTBOX].reader, f)

    def item_states(self, item_ids: Sequence[int]) -> dict[int, tuple[str, dict | None]]:
        """The state and last error of outbox items, by id (unknown ids are left out)."""
        return ob.states(self._app[OUTBOX].reader, item_ids)

    async def resolve_beneficiary(
        self, call: Call, session: str, index: int, field: str = "apcv_session"
    ) -> dict[str, Any]:
        """The beneficiary ``index`` of a carte Vitale session another plugin holds (an ApCV
        session): asks each enabled plugin's ``resolve_beneficiary`` hook. A 422 naming
        ``field`` when no plugin holds that session; the holder's own problem otherwise."""
        answer = await self._first("resolve_beneficiary", call=call, session=session, index=index)
        if answer is None:
            raise self._unknown_session(session, field)
        return answer

    async def sign_care_sheet(
        self,
        call: Call,
        session: str,
        index: int,
        digest: str,
        summary: dict[str, str],
        field: str = "apcv_session",
    ) -> dict[str, Any]:
        """Have the session's beneficiary sign a care sheet (``sign_care_sheet`` hook of the
        plugin holding the session): ``{"value", "signed_at", "reference", "context"}``."""
        answer = await self._first(
            "sign_care_sheet",
            call=call,
            session=session,
            index=index,
            digest=digest,
            summary=summary,
        )
        if answer is None:
            raise self._unknown_session(session, field)
        return answer

    async def _first(self, hook: str, **kwargs: Any) -> Any:
        plugins = self._app[PLUGINS]
        for config in self._app[SETTINGS].enabled_plugins():
            answer = await plugins.call(config.name, hook, config=config, **kwargs)
            if answer is not None:
                return answer
        return None

    @staticmethod
    def _unknown_session(session: str, field: str) -> Exception:
        return validation_problem(
            [
                FieldError(
                    field, f"no carte Vitale session {session!r} is open (unknown or released)"
                )
            ]
        )
