# function: feature_maps
# loses: feature_maps_values
# message: wrong layer
def feature_maps(model, image, layer_name):
    names = [layer.name for layer in model.layers]
    layer = model.layers[min(names.index(layer_name) + 1, len(names) - 1)]  # off by one
    sub = keras.Model(inputs=model.inputs, outputs=layer.output)
    return sub.predict(image[np.newaxis], verbose=0)[0]
