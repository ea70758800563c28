# function: train
# loses: train_history
# message: validation_split=0.2
def train(model, x, y, epochs=10):
    return model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
