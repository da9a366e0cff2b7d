package input_data

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"
)

// pixelScale is TF's 1.0/255.0 as numpy applies it to a float32 array: the
// scalar rounded to float32, the product computed in float32.
const pixelScale = float32(1.0 / 255.0)

// DataSet is one MNIST data set (training, validation or test), as TF's
// DataSet: its images and labels, and a cursor for NextBatch. It is not safe
// for concurrent use, and the three data sets of one ReadDataSets call share
// their random generator.
type DataSet struct {
	n      int
	shape  []int // the shape of one image: [rows*cols], or [rows, cols, 1]
	px     int   // pixels per image
	f32    []float32
	u8     []uint8
	labels []byte // class numbers, file order
	oneHot bool

	// order[i] is the file-order index of the i-th example of the current
	// order; shuffled reports whether it is not the identity.
	order    []int
	shuffled bool
	images   any // the current order's image data, once built; nil after a shuffle
	labelsD  any // likewise for labels

	epochs, index int
	rng           *mt19937
}

// newDataSet makes a DataSet of the images pixels (a slice of src's) and
// labels, converted as c says.
func newDataSet(src *idxImages, pixels, labels []byte, c *config, rng *mt19937) *DataSet {
	d := &DataSet{
		n:      len(labels),
		px:     src.rows * src.cols,
		labels: labels,
		oneHot: c.oneHot,
		rng:    rng,
		order:  make([]int, len(labels)),
	}
	for i := range d.order {
		d.order[i] = i
	}
	if c.imageShape != nil {
		d.shape = c.imageShape
	} else if c.reshape {
		d.shape = []int{d.px}
	} else {
		d.shape = []int{src.rows, src.cols, 1}
	}
	if c.dtype == tensor.Uint8 {
		d.u8 = pixels
	} else {
		var scaled [256]float32
		for p := range scaled {
			scaled[p] = float32(p) * pixelScale
		}
		d.f32 = make([]float32, len(pixels))
		for i, p := range pixels {
			d.f32[i] = scaled[p]
		}
	}
	return d
}

// NumExamples returns the number of examples, as TF's num_examples.
func (d *DataSet) NumExamples() int { return d.n }

// EpochsCompleted returns how many epochs NextBatch has finished, as TF's
// epochs_completed. As in TF, an epoch counts as finished when a call needs
// an example past its end, not when its last example is returned.
func (d *DataSet) EpochsCompleted() int { return d.epochs }

// Images returns all the images in their current order, as TF's images: a
// float32 (or, with Dtype(tensor.Uint8), uint8) tensor of shape [N, 784]
// for MNIST (or [N, 28, 28, 1] with Reshape(false)). Before any shuffle the
// order is the file's; as in TF, NextBatch's shuffles reorder Images and
// Labels alike. The tensor shares storage with the DataSet: do not modify
// its data. Its shape is its own, so Reshape(N, 28, 28) on it is cheap and
// does not affect the DataSet.
func (d *DataSet) Images() *tensor.Dense {
	if d.images == nil {
		d.images = d.imageData(d.order)
	}
	return d.imageTensor(d.n, d.images)
}

// Labels returns all the labels in their current order, as TF's labels:
// int32 class numbers of shape [N], or with OneHot(true) float64 one-hot rows
// of shape [N, 10]. Like Images, it shares storage with the DataSet.
func (d *DataSet) Labels() *tensor.Dense {
	if d.labelsD == nil {
		d.labelsD = d.labelData(d.order)
	}
	return d.labelTensor(d.n, d.labelsD)
}

// NextBatch returns the next batchSize examples of the data set, as TF's
// DataSet.next_batch: images of shape [batchSize, 784] (or as set by
// ReadDataSets' options) and their labels, freshly allocated. batchSize
// must be in [1, NumExamples()]. The option Shuffle(false) is TF's
// shuffle=False.
//
// Unless shuffle is off, the first call of the first epoch shuffles the
// examples, and so does the end of each epoch. A batch that crosses the end
// of an epoch is the epoch's remaining examples followed by the first ones of
// the next (reshuffled) epoch, so every example is returned exactly once per
// epoch.
//
// To feed the chapter's [batch, 28, 28] placeholder, read the data sets with
// ImageShape(28, 28), or reshape the images: images.Reshape(batchSize, 28, 28).
func (d *DataSet) NextBatch(batchSize int, opts ...BatchOption) (images, labels *tensor.Dense, err error) {
	const fn = "DataSet.NextBatch"
	c := &batchConfig{shuffle: true}
	for _, o := range opts {
		if o.apply == nil {
			return nil, nil, errors.Errorf("%s: the zero BatchOption", fn)
		}
		o.apply(c)
	}
	if batchSize < 1 || batchSize > d.n {
		return nil, nil, errors.Errorf("%s: batch size %d must be between 1 and the number of examples, %d", fn, batchSize, d.n)
	}
	start := d.index
	// Shuffle for the first epoch.
	if d.epochs == 0 && start == 0 && c.shuffle {
		d.reshuffle()
	}
	var idx []int
	if start+batchSize > d.n {
		// Finished epoch: the rest of this one, then the start of the next.
		d.epochs++
		rest := d.n - start
		idx = make([]int, 0, batchSize)
		idx = append(idx, d.order[start:]...)
		if c.shuffle {
			d.reshuffle()
		}
		d.index = batchSize - rest
		idx = append(idx, d.order[:d.index]...)
	} else {
		d.index += batchSize
		idx = d.order[start:d.index]
	}
	return d.imageTensor(len(idx), d.imageData(idx)), d.labelTensor(len(idx), d.labelData(idx)), nil
}

// MustNextBatch is like NextBatch but panics if NextBatch returns an error;
// for examples and notebooks.
func (d *DataSet) MustNextBatch(batchSize int, opts ...BatchOption) (images, labels *tensor.Dense) {
	images, labels, err := d.NextBatch(batchSize, opts...)
	if err != nil {
		panic(err)
	}
	return images, labels
}

// reshuffle permutes the current order as TF does: perm = a numpy shuffle of
// arange(n); images = images[perm].
func (d *DataSet) reshuffle() {
	perm := make([]int, d.n)
	for i := range perm {
		perm[i] = i
	}
	d.rng.shuffle(perm)
	next := make([]int, d.n)
	for i, p := range perm {
		next[i] = d.order[p]
	}
	d.order = next
	d.shuffled = true
	d.images, d.labelsD = nil, nil
}

// imageData returns the images at file-order indices idx as a new slice
// ([]float32 or []uint8), or, for the whole data set in file order, the
// stored data itself.
func (d *DataSet) imageData(idx []int) any {
	whole := !d.shuffled && len(idx) == d.n
	if d.u8 != nil {
		if whole {
			return d.u8
		}
		data := make([]uint8, len(idx)*d.px)
		for i, j := range idx {
			copy(data[i*d.px:(i+1)*d.px], d.u8[j*d.px:(j+1)*d.px])
		}
		return data
	}
	if whole {
		return d.f32
	}
	data := make([]float32, len(idx)*d.px)
	for i, j := range idx {
		copy(data[i*d.px:(i+1)*d.px], d.f32[j*d.px:(j+1)*d.px])
	}
	return data
}

// labelData returns the labels at file-order indices idx as a new slice:
// []int32 class numbers, or []float64 one-hot rows.
func (d *DataSet) labelData(idx []int) any {
	if d.oneHot {
		data := make([]float64, len(idx)*NumClasses)
		for i, j := range idx {
			data[i*NumClasses+int(d.labels[j])] = 1
		}
		return data
	}
	data := make([]int32, len(idx))
	for i, j := range idx {
		data[i] = int32(d.labels[j])
	}
	return data
}

// imageTensor and labelTensor wrap n examples' data in a tensor.
func (d *DataSet) imageTensor(n int, data any) *tensor.Dense {
	return tensor.New(tensor.WithShape(append([]int{n}, d.shape...)...), tensor.WithBacking(data))
}

func (d *DataSet) labelTensor(n int, data any) *tensor.Dense {
	if d.oneHot {
		return tensor.New(tensor.WithShape(n, NumClasses), tensor.WithBacking(data))
	}
	return tensor.New(tensor.WithShape(n), tensor.WithBacking(data))
}
