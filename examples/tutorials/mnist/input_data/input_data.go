package input_data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"
)

// The base names of the four MNIST files, as TF's read_data_sets names them
// without their ".gz".
const (
	TrainImages = "train-images-idx3-ubyte"
	TrainLabels = "train-labels-idx1-ubyte"
	TestImages  = "t10k-images-idx3-ubyte"
	TestLabels  = "t10k-labels-idx1-ubyte"
)

// NumClasses is the number of MNIST classes (the digits 0 to 9), the width
// of one-hot labels.
const NumClasses = 10

// DefaultValidationSize is TF's default validation_size: the number of
// examples taken from the start of the training file for the validation set.
const DefaultValidationSize = 5000

// The IDX magic numbers TF checks (extract_images, extract_labels).
const (
	imageMagic = 2051
	labelMagic = 2049
)

// Option is a keyword argument of ReadDataSets, as TF's
// read_data_sets(one_hot=..., dtype=..., reshape=..., validation_size=...,
// seed=...). NextBatch's keyword argument is a BatchOption, a different
// type: giving one function the other's option does not compile.
type Option struct {
	key   string
	apply func(*config)
}

// BatchOption is a keyword argument of NextBatch, as TF's
// next_batch(shuffle=...).
type BatchOption struct {
	apply func(*batchConfig)
}

type batchConfig struct {
	shuffle bool
}

type config struct {
	oneHot         bool
	dtype          tensor.Dtype
	reshape        bool
	validationSize int
	seed           int64
	imageShape     []int
	given          map[string]bool
}

// OneHot makes labels one-hot rows of NumClasses float64s (TF's
// one_hot=True; float64 because TF builds them with numpy.zeros) instead of
// int32 class numbers. Default false.
func OneHot(oneHot bool) Option {
	return Option{"one_hot", func(c *config) { c.oneHot = oneHot }}
}

// Dtype sets the element type of the images (TF's dtype): tensor.Float32
// (the default) scales pixels into [0, 1] by multiplying by 1/255 as TF
// does; tensor.Uint8 keeps them as stored, in [0, 255]. Any other type is an
// error, as in TF.
func Dtype(dt tensor.Dtype) Option {
	return Option{"dtype", func(c *config) { c.dtype = dt }}
}

// Reshape flattens each image to one row of rows*cols pixels (TF's
// reshape=True, the default: [N, 784] for MNIST). With false, images keep
// the shape [N, rows, cols, 1] as TF's extract_images returns them.
func Reshape(reshape bool) Option {
	return Option{"reshape", func(c *config) { c.reshape = reshape }}
}

// ValidationSize sets how many examples, from the start of the training
// file, form the validation set (TF's validation_size, default 5000); the
// rest form the training set. It must be in [0, number of training images].
func ValidationSize(n int) Option {
	return Option{"validation_size", func(c *config) { c.validationSize = n }}
}

// Seed seeds the shuffling of NextBatch (TF's seed). It must be in
// [0, 2^32-1], as numpy.random.seed requires. With a seed the examples come
// in the same order as from TF's read_data_sets(..., seed=seed) (TF seeds
// numpy's global generator with it; the three data sets of one
// ReadDataSets call share one generator as they share numpy's in TF).
// Without it the order differs from run to run.
func Seed(seed int64) Option {
	return Option{"seed", func(c *config) { c.seed = seed }}
}

// ImageShape gives each image the shape dims instead of TF's [784] (or
// [28, 28, 1] with Reshape(false)); not a TF argument. ImageShape(28, 28)
// makes Images and NextBatch return [N, 28, 28], the chapter's 28 steps of
// 28 pixels, ready to feed without a reshape. One dimension may be -1, as in
// numpy's reshape; the dimensions must hold 784 pixels.
func ImageShape(dims ...int) Option {
	dims = append([]int(nil), dims...)
	return Option{"image_shape", func(c *config) { c.imageShape = dims }}
}

// Shuffle is NextBatch's shuffle argument: with false (TF's shuffle=False)
// examples come in their current order and no epoch reshuffles. Default
// true.
func Shuffle(shuffle bool) BatchOption {
	return BatchOption{func(c *batchConfig) { c.shuffle = shuffle }}
}

// parseOptions applies opts over TF's defaults.
func parseOptions(fn string, opts []Option) (*config, error) {
	c := &config{dtype: tensor.Float32, reshape: true, validationSize: DefaultValidationSize}
	c.given = map[string]bool{}
	for _, o := range opts {
		if o.apply == nil {
			return nil, errors.Errorf("%s: the zero Option", fn)
		}
		o.apply(c)
		c.given[o.key] = true
	}
	return c, nil
}

// Datasets holds the three MNIST data sets, as TF's base.Datasets.
type Datasets struct {
	Train      *DataSet
	Validation *DataSet
	Test       *DataSet
}

// ReadDataSets reads MNIST from the four IDX files in dir, as TF's
// input_data.read_data_sets(train_dir, ...). Each file is read as
// NAME.gz (gzip-compressed, as TF and the MNIST site ship them) or, when
// that does not exist, as NAME uncompressed; NAME is one of TrainImages,
// TrainLabels, TestImages and TestLabels. Nothing is downloaded: see
// DefaultDir for a folder holding the files.
//
// With the default options the result is TF's: Train holds 55,000 examples
// (the training file less its first 5,000), Validation the first 5,000 of the
// training file, Test the 10,000 of the test files; images are float32 in
// [0, 1] of shape [N, 784], labels int32 class numbers of shape [N]. The
// options are OneHot, Dtype, Reshape, ValidationSize and Seed, and
// ImageShape (not TF's).
//
// A missing, truncated or corrupt file (bad gzip data, a wrong magic number,
// fewer or more bytes than its header announces, a label above 9), or image
// and label files of different lengths, give an error naming the file and
// what was expected.
func ReadDataSets(dir string, opts ...Option) (*Datasets, error) {
	const fn = "input_data.ReadDataSets"
	c, err := parseOptions(fn, opts)
	if err != nil {
		return nil, err
	}
	if c.dtype != tensor.Float32 && c.dtype != tensor.Uint8 {
		return nil, errors.Errorf("%s: invalid image dtype %v, expected uint8 or float32", fn, c.dtype)
	}
	if c.given["seed"] && (c.seed < 0 || c.seed > 1<<32-1) {
		return nil, errors.Errorf("%s: seed %d must be between 0 and 2**32 - 1", fn, c.seed)
	}

	trainImages, err := readImages(dir, TrainImages)
	if err != nil {
		return nil, err
	}
	trainLabels, err := readLabels(dir, TrainLabels)
	if err != nil {
		return nil, err
	}
	if err := sameCount(trainImages, trainLabels); err != nil {
		return nil, err
	}
	testImages, err := readImages(dir, TestImages)
	if err != nil {
		return nil, err
	}
	testLabels, err := readLabels(dir, TestLabels)
	if err != nil {
		return nil, err
	}
	if err := sameCount(testImages, testLabels); err != nil {
		return nil, err
	}

	if c.given["image_shape"] {
		shape, err := resolveShape(c.imageShape, trainImages.rows*trainImages.cols)
		if err != nil {
			return nil, errors.Wrapf(err, "%s: ImageShape%v", fn, c.imageShape)
		}
		c.imageShape = shape
	}

	v := c.validationSize
	if v < 0 || v > trainImages.n {
		return nil, errors.Errorf("%s: Validation size should be between 0 and %d. Received: %d.", fn, trainImages.n, v)
	}

	var rng *mt19937
	if c.given["seed"] {
		rng = newMT19937(uint32(c.seed))
	} else {
		rng = newMT19937(rand.Uint32())
	}
	px := trainImages.rows * trainImages.cols
	return &Datasets{
		Train:      newDataSet(trainImages, trainImages.pixels[v*px:], trainLabels.labels[v:], c, rng),
		Validation: newDataSet(trainImages, trainImages.pixels[:v*px], trainLabels.labels[:v], c, rng),
		Test:       newDataSet(testImages, testImages.pixels, testLabels.labels, c, rng),
	}, nil
}

// MustReadDataSets is like ReadDataSets but panics if it returns an error;
// for examples and notebooks.
func MustReadDataSets(dir string, opts ...Option) *Datasets {
	ds, err := ReadDataSets(dir, opts...)
	if err != nil {
		panic(err)
	}
	return ds
}

// resolveShape replaces a -1 in dims by what makes them hold size elements,
// as numpy's reshape does.
func resolveShape(dims []int, size int) ([]int, error) {
	out := append([]int(nil), dims...)
	free, prod := -1, 1
	for i, d := range out {
		switch {
		case d == -1 && free < 0:
			free = i
		case d == -1:
			return nil, errors.New("can only specify one unknown dimension")
		case d < 1:
			return nil, errors.Errorf("dimension %d is %d; want a positive size or one -1", i, d)
		default:
			prod *= d
		}
	}
	if free >= 0 {
		if size%prod != 0 {
			return nil, errors.Errorf("cannot hold %d pixels", size)
		}
		out[free] = size / prod
		prod *= out[free]
	}
	if prod != size || len(out) == 0 {
		return nil, errors.Errorf("holds %d pixels; an image has %d", prod, size)
	}
	return out, nil
}

// idxImages is a parsed IDX3 image file.
type idxImages struct {
	path          string
	n, rows, cols int
	pixels        []byte
}

// idxLabels is a parsed IDX1 label file.
type idxLabels struct {
	path   string
	labels []byte
}

func sameCount(im *idxImages, lb *idxLabels) error {
	if im.n != len(lb.labels) {
		return errors.Errorf("input_data: %s holds %d images but %s holds %d labels; want one label per image",
			im.path, im.n, lb.path, len(lb.labels))
	}
	return nil
}

// openIDX opens dir/name.gz, or dir/name when there is no .gz, and returns
// the file's path and its decompressed content reader.
func openIDX(dir, name string) (path string, r io.Reader, closeFn func() error, err error) {
	gz := filepath.Join(dir, name+".gz")
	raw := filepath.Join(dir, name)
	f, err := os.Open(gz)
	if err == nil {
		z, zerr := gzip.NewReader(f)
		if zerr != nil {
			f.Close()
			return gz, nil, nil, errors.Errorf("input_data: %s: not a valid gzip file: %v", gz, zerr)
		}
		return gz, z, f.Close, nil
	}
	if !os.IsNotExist(err) {
		return gz, nil, nil, errors.Wrap(err, "input_data")
	}
	f, err = os.Open(raw)
	if err != nil {
		if os.IsNotExist(err) {
			return raw, nil, nil, errors.Errorf("input_data: MNIST file %s not found: neither %s nor %s exists", name+".gz", gz, raw)
		}
		return raw, nil, nil, errors.Wrap(err, "input_data")
	}
	return raw, f, f.Close, nil
}

// readExact reads the rest of r, which must hold exactly want bytes (the
// gzip checksum is verified on the way). It never allocates much more than
// the data present, whatever a corrupt header claims.
func readExact(path, what string, r io.Reader, want uint64) ([]byte, error) {
	var buf bytes.Buffer
	if want < 1<<28 {
		buf.Grow(int(want))
	}
	n, err := io.Copy(&buf, io.LimitReader(r, int64(min(want+1, 1<<62))))
	if err != nil {
		return nil, errors.Errorf("input_data: %s: corrupt file: reading %s: %v", path, what, err)
	}
	if uint64(n) < want {
		return nil, errors.Errorf("input_data: %s: truncated file: the header announces %d bytes of %s, but only %d follow", path, want, what, n)
	}
	if uint64(n) > want {
		return nil, errors.Errorf("input_data: %s: corrupt file: more data than the %d bytes of %s its header announces", path, want, what)
	}
	return buf.Bytes(), nil
}

// readHeader reads the magic number and the dimensions of an IDX file.
func readHeader(path string, r io.Reader, magic uint32, kind string, dims int) ([]uint32, error) {
	hdr := make([]byte, 4*(1+dims))
	if n, err := io.ReadFull(r, hdr); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, errors.Errorf("input_data: %s: truncated file: want a %d-byte IDX header for an MNIST %s file, got %d bytes", path, len(hdr), kind, n)
		}
		return nil, errors.Errorf("input_data: %s: corrupt file: reading the header: %v", path, err)
	}
	if got := binary.BigEndian.Uint32(hdr); got != magic {
		hint := ""
		if hdr[0] == 0x1f && hdr[1] == 0x8b {
			hint = " (the file looks gzip-compressed: name it with .gz)"
		}
		return nil, errors.Errorf("input_data: %s: Invalid magic number %d in MNIST %s file, want %d%s", path, got, kind, magic, hint)
	}
	out := make([]uint32, dims)
	for i := range out {
		out[i] = binary.BigEndian.Uint32(hdr[4*(i+1):])
	}
	return out, nil
}

// readImages reads an IDX3 image file (magic 2051, count, rows, cols,
// then count*rows*cols bytes).
func readImages(dir, name string) (*idxImages, error) {
	path, r, closeFn, err := openIDX(dir, name)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	d, err := readHeader(path, r, imageMagic, "image", 3)
	if err != nil {
		return nil, err
	}
	want := uint64(d[0]) * uint64(d[1]) * uint64(d[2])
	px, err := readExact(path, fmt.Sprintf("pixels (%d images of %dx%d)", d[0], d[1], d[2]), r, want)
	if err != nil {
		return nil, err
	}
	return &idxImages{path: path, n: int(d[0]), rows: int(d[1]), cols: int(d[2]), pixels: px}, nil
}

// readLabels reads an IDX1 label file (magic 2049, count, then count
// bytes, each below NumClasses).
func readLabels(dir, name string) (*idxLabels, error) {
	path, r, closeFn, err := openIDX(dir, name)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	d, err := readHeader(path, r, labelMagic, "label", 1)
	if err != nil {
		return nil, err
	}
	lb, err := readExact(path, fmt.Sprintf("labels (%d labels)", d[0]), r, uint64(d[0]))
	if err != nil {
		return nil, err
	}
	for i, l := range lb {
		if l >= NumClasses {
			return nil, errors.Errorf("input_data: %s: corrupt file: label %d at index %d is outside [0, %d)", path, l, i, NumClasses)
		}
	}
	return &idxLabels{path: path, labels: lb}, nil
}
