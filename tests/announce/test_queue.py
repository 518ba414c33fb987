"""The board's announcement queue: ten calls in one second are all said, in call order,
by one worker, never blocking whoever adds them; while others wait behind a call it is
said once instead of the hall's full count; a recall is said again."""

from __future__ import annotations

import shutil
import threading

import pytest

from console.announce import AnnounceSettings, Voice
from console.announce.queue import Call, CallQueue, Spoken
from console.domain.errors import Refused

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                reason="espeak-ng is not installed")  # fmt: skip


class Speakers:
    """Stands in for the hall's speakers: holds the first announcement until released."""

    def __init__(self) -> None:
        self.first_playing = threading.Event()
        self.release = threading.Event()
        self.heard: list[tuple[str, ...]] = []

    def __call__(self, announcement) -> None:
        self.heard.append(tuple(s.text for s in announcement.sentences))
        self.first_playing.set()
        self.release.wait(30)


def test_ten_calls_in_one_second_are_all_said_in_order_the_older_ones_shorter():
    speakers = Speakers()
    queue = CallQueue(Voice(AnnounceSettings(repeat=2)), speakers)
    worker = threading.Thread(target=queue.run, daemon=True)
    worker.start()
    calls = [Call(f"A{n:03d}", n % 7 + 1) for n in range(1, 11)]
    queue.add(calls[0].number, calls[0].counter)
    assert speakers.first_playing.wait(30)  # the first is being said, in full
    for call in calls[1:]:  # nine more in the same second: none waits for the speakers
        queue.add(call.number, call.counter)
    assert queue.waiting == 9
    speakers.release.set()
    while len(queue.spoken) < 10 and worker.is_alive():
        worker.join(0.1)
    queue.close()
    worker.join(30)
    assert queue.spoken == [Spoken(calls[0], 2)] + [Spoken(c, 1) for c in calls[1:9]] + [
        Spoken(calls[9], 2)
    ]
    assert speakers.heard[1] == (
        "qing3 A ling2 ling2 er4 hao4 dao4 san1 hao4 chuang1 kou3 ban4 li3",
    )
    assert speakers.heard[9][1] == "Number A, zero, one, zero, please go to counter four"


def test_a_recall_is_said_again_and_a_failure_does_not_stop_the_queue():
    failures: list[Refused] = []
    heard: list[str] = []

    def speakers(announcement) -> None:
        if announcement.sentences[0].text.startswith("qing3 B"):
            raise Refused(reason="announce.play_failed", detail="speaker unplugged")
        heard.append(announcement.sentences[0].text)

    queue = CallQueue(Voice(AnnounceSettings(langs=("zh-CN",))), speakers, failures.append)
    for number in ("A001", "B002", "A001"):
        queue.add(number, 3)
    worker = threading.Thread(target=queue.run, daemon=True)
    worker.start()
    while len(queue.spoken) + len(failures) < 3 and worker.is_alive():
        worker.join(0.1)
    queue.close()
    worker.join(30)
    assert [s.call.number for s in queue.spoken] == ["A001", "A001"]
    assert len(heard) == 2 and heard[0] == heard[1]
    assert [f.reason for f in failures] == ["announce.play_failed"]
