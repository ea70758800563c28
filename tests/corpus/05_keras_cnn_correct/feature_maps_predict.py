# function: feature_maps
# loses:
# message:
def feature_maps(model, image, layer_name):
    probe = keras.Model(inputs=model.inputs, outputs=model.get_layer(name=layer_name).output)
    return probe.predict(np.expand_dims(image, 0), verbose=0)[0]
