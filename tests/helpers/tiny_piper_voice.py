"""A tiny Piper voice for offline tests, built as an ONNX graph with the `onnx` package.

Piper's own test suite exports a torch module that outputs silence
(piper1-gpl tests/generate_test_voice.py); torch is far too heavy for these machines,
and an ONNX graph is all `PiperVoice.load` needs. This one has Piper's real interface
(inputs `input`, `input_lengths`, `scales`; output `output` shaped [1, 1, samples]) and
answers with a 220 Hz tone lasting 256 samples per phoneme id times the length scale,
so tests can check that text, and the speaking rate, really reach the model.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

HOP_LENGTH = 256
SAMPLE_RATE = 22050
TONE_HZ = 220.0


def _graph_bytes() -> bytes:
    import onnx
    from onnx import TensorProto, helper

    def const(name: str, value: float | int, kind: int) -> onnx.NodeProto:
        return helper.make_node("Constant", [], [name], value=helper.make_tensor(name + "_t", kind, [], [value]))

    nodes = [
        const("zero_i", 0, TensorProto.INT64),
        const("one_i", 1, TensorProto.INT64),
        const("zero_f", 0.0, TensorProto.FLOAT),
        const("one_f", 1.0, TensorProto.FLOAT),
        const("hop", float(HOP_LENGTH), TensorProto.FLOAT),
        const("omega", 2 * math.pi * TONE_HZ / SAMPLE_RATE, TensorProto.FLOAT),
        const("gain", 0.5, TensorProto.FLOAT),
        # samples = input_lengths[0] * hop * scales[1]   (scales = noise, length, noise_w)
        helper.make_node("Gather", ["input_lengths", "zero_i"], ["n_i"], axis=0),
        helper.make_node("Cast", ["n_i"], ["n_f"], to=TensorProto.FLOAT),
        helper.make_node("Gather", ["scales", "one_i"], ["length_scale"], axis=0),
        helper.make_node("Mul", ["n_f", "hop"], ["base"]),
        helper.make_node("Mul", ["base", "length_scale"], ["limit"]),
        helper.make_node("Range", ["zero_f", "limit", "one_f"], ["t"]),
        helper.make_node("Mul", ["t", "omega"], ["phase"]),
        helper.make_node("Sin", ["phase"], ["wave"]),
        helper.make_node("Mul", ["wave", "gain"], ["audio"]),
        helper.make_node("Unsqueeze", ["audio", "axes01"], ["output"]),
    ]
    axes = helper.make_tensor("axes01", TensorProto.INT64, [2], [0, 1])
    graph = helper.make_graph(
        nodes, "tiny_piper_voice",
        inputs=[
            helper.make_tensor_value_info("input", TensorProto.INT64, [1, "phonemes"]),
            helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
            helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
        ],
        outputs=[helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "time"])],
        initializer=[axes],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)], producer_name="radio-gen tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model.SerializeToString()


def voice_config(language: str = "vi_VN", espeak_voice: str = "vi") -> dict:
    """A Piper voice config as published next to each model (`NAME.onnx.json`)."""
    from piper.phoneme_ids import DEFAULT_PHONEME_ID_MAP

    family, _, region = language.partition("_")
    return {
        "audio": {"sample_rate": SAMPLE_RATE, "quality": "x_low"},
        "espeak": {"voice": espeak_voice},
        "language": {"code": language, "family": family, "region": region,
                     "name_native": "Tiếng Việt" if family == "vi" else family, "name_english": family},
        "inference": {"noise_scale": 0.667, "length_scale": 1.0, "noise_w": 0.8},
        "phoneme_type": "espeak",
        "phoneme_id_map": DEFAULT_PHONEME_ID_MAP,
        "num_symbols": max(i for ids in DEFAULT_PHONEME_ID_MAP.values() for i in ids) + 1,
        "num_speakers": 1,
        "speaker_id_map": {},
        "dataset": "tiny",
        "piper_version": "1.0.0",
    }


def write_voice(folder: Path, name: str = "vi_VN-tiny-x_low", language: str = "vi_VN",
                espeak_voice: str = "vi") -> Path:
    """Write NAME.onnx and NAME.onnx.json into `folder`; returns the model path."""
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    model.write_bytes(_graph_bytes())
    (folder / f"{name}.onnx.json").write_text(
        json.dumps(voice_config(language, espeak_voice), ensure_ascii=False, indent=1), encoding="utf-8")
    return model
