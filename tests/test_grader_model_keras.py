"""The model the 05 graders supply (graders/a05_keras_cnn/grader_model.py) is what Keras builds from
its data: the committed architecture is the builder's, and the numpy activations the graders expect
equal Keras' on the rebuilt model, for several weight seeds. Needs TensorFlow (slow)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from graders.a05_keras_cnn import grader_model as G
from graders.a05_keras_cnn import protocol as P

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


def test_committed_architecture_is_the_builders(keras):
    assert json.loads(G.architecture()) == json.loads(G.build_architecture()), \
        "rebuild it: python -m graders.a05_keras_cnn.grader_model"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_numpy_activations_equal_keras_on_the_model_rebuilt_from_data(keras, seed):
    images = P.shapes_grader_set()[0]
    spec = G.spec(np.random.default_rng(seed), images[:60])
    model = keras.models.model_from_json(spec.json)
    model.set_weights(list(spec.weights))
    batch = images[100:130]
    expected = [G.activations(spec, image) for image in batch]
    np.testing.assert_allclose(model.predict(batch, verbose=0), np.stack([e["probs"] for e in expected]),
                               rtol=1e-4, atol=1e-6)
    for name in ("conv", "pool"):
        sub = keras.Model(model.inputs, model.get_layer(name).output)
        np.testing.assert_allclose(sub.predict(batch[:3], verbose=0), np.stack([e[name] for e in expected[:3]]),
                                   rtol=1e-4, atol=1e-5)
    labels = np.argmax(np.stack([e["probs"] for e in expected]), axis=1)
    assert len(set(labels.tolist())) >= 2, "a constant answer must not pass predict_classes"
