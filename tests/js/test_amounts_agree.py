"""The offline queue reads a typed gesture cost exactly as the server's moment form does:
the same amounts accepted as the same cents, the same ones refused with the same message.
Hundreds of typed strings go through MomentFormSchema here and through the queue's
toPayload in Node (static/pwa/js/queue-core.js)."""

from __future__ import annotations

import json
import random

from flask import Flask
from marshmallow import ValidationError

from tests.factories import client_id
from tests.js.test_javascript import needs_node, run_node
from webapp.moments.schemas import MomentFormSchema
from webapp.pwa.strings import pwa_strings

CHOSEN = [
    *("2,505", "€ 3", "0", "-1", "", "  ", "2,50", "2.50", "2,500", "2,5", "€2", "2 €"),
    *(",5", "5,", ".", ",", "-0", "+3", "-0,00", "00,10", "1000", "1000,00", "1000,001"),
    *("1000,01", "1.000,50", "1,000.50", "1e3", "1E3", "Infinity", "NaN", "1_000", "٣"),
    *("3\u00a0€", "3\u202f€", "\u20033", "3\ufeff", "\ufeff", "3\x85", "\x85", "3\x07", "3\t"),
    *("\t3", "3\n", "99999999999999999999999", "--1", "+-1", "€", "€ €", "2,50€", "abc"),
]
ALPHABET = list("0123456789,.€ -+e") + ["\u00a0", "\u202f", "\ufeff", "\x85", "\x1c", "٣"]
MESSAGES = ("amountFormat", "amountRange", "controlCharacters")

READ_IN_NODE = """
import './static/pwa/js/queue-core.js';
let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const read = (typed) => {
    const { payload, problems } = globalThis.KizukiQueue.toPayload(
      'moment', 'x', [['gesture_cost', typed]]);
    if (problems) return { problem: problems.gesture_cost };
    return { cents: payload.gesture_cost_cents ?? null };
  };
  process.stdout.write(JSON.stringify(JSON.parse(input).map(read)));
});
"""


def typed_amounts() -> list[str]:
    rng = random.Random(8)  # fixed: a failure names the same strings every run
    made = {"".join(rng.choices(ALPHABET, k=rng.randint(1, 7))) for _ in range(1500)}
    return CHOSEN + sorted(made - set(CHOSEN))


def read_on_server(typed: str, messages: dict[str, str]) -> dict[str, object]:
    form = {
        "client_id": client_id(),
        "team_id": "1",
        "cue": "c",
        "action": "a",
        "reaction": "r",
        "value_ids": ["1"],
        "gesture_cost": typed,
    }
    try:
        return {"cents": MomentFormSchema().load(form)["gesture_cost_cents"]}
    except ValidationError as error:
        said = error.normalized_messages()["gesture_cost"]
        text = said[0] if isinstance(said, list) else said
        return {"problem": messages.get(text, text)}


@needs_node
def test_the_queue_reads_amounts_as_the_server_does(app: Flask) -> None:
    amounts = typed_amounts()
    result = run_node("--input-type=module", "--eval", READ_IN_NODE, stdin=json.dumps(amounts))
    assert result.returncode == 0, result.stderr
    in_node = json.loads(result.stdout)
    with app.test_request_context():
        # The queue shows its refusals in the server's own words (the pwa strings).
        strings = pwa_strings()
        messages = {strings[key]: key for key in MESSAGES}
        on_server = [read_on_server(typed, messages) for typed in amounts]
    differ = [
        (typed, server, node)
        for typed, server, node in zip(amounts, on_server, in_node, strict=True)
        if server != node
    ]
    assert differ == [], f"{len(differ)} of {len(amounts)} differ, e.g. {differ[:10]}"
