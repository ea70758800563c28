# function: feature_maps
# loses: feature_maps_values
# message: batch axis
def feature_maps(model, image, layer_name):
    sub = keras.Model(inputs=model.inputs, outputs=model.get_layer(layer_name).output)
    return sub.predict(image[np.newaxis], verbose=0)
