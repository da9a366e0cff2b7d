package tf

import (
	"github.com/gorgoflow/gorgoflow/internal/kwargs"
)

// Option is a keyword argument of a tf function (Python's name=, seed=,
// stddev=, ...). Each function documents the options it takes; giving one it
// does not take is an error, never silently ignored.
type Option struct {
	key   string
	apply func(*options)
}

type options struct {
	given     map[string]bool
	name      string
	seed      int64
	noise     Shape
	masks     [5]int // StridedSlice's begin, end, ellipsis, new-axis and shrink-axis masks
	mean      float64
	stddev    float64
	minval    float64
	maxval    float64
	value     float64
	trainable bool
	dtype     DType
	init      Initializer
	keepDims  bool
	transA    bool
	transB    bool
	axes      []int
	outType   DType
	num       int
	alpha     float64
	batchAxis int
	nn        nnOptions
	extra     map[string]any // options of options_math.go, by keyword
	arr       arrayOptions
}

// nnOptions are the keyword arguments of package nn's embedding and sampled
// loss functions.
type nnOptions struct {
	partition    Partition
	maxNorm      float64
	numTrue      int
	sampled      []*Tensor
	removeHits   bool
	subtractLogQ bool
	unigrams     []float64
	distortion   float64
	reserved     int
}

// Name gives an op or variable its name inside the current name scope.
func Name(name string) Option {
	return Option{"name", func(o *options) { o.name = name }}
}

// NoiseShape sets the shape of nn.Dropout's random keep/drop flags
// (noise_shape=): one entry per dimension of x, each x's dimension (or
// None for it) or 1 to share one flag along that dimension.
func NoiseShape(s Shape) Option {
	s = s.Clone()
	return Option{"noise_shape", func(o *options) { o.noise = s }}
}

// Seed sets an op-level random seed (seed=). With SetRandomSeed it fixes the
// op's random sequence, as in TF.
func Seed(seed int64) Option { return Option{"seed", func(o *options) { o.seed = seed }} }

// Mean sets the mean of a normal distribution (mean=, default 0).
func Mean(m float64) Option { return Option{"mean", func(o *options) { o.mean = m }} }

// Stddev sets the standard deviation of a normal distribution (stddev=, default 1).
func Stddev(s float64) Option { return Option{"stddev", func(o *options) { o.stddev = s }} }

// Minval sets the lower bound of a uniform distribution (minval=, default 0).
func Minval(v float64) Option { return Option{"minval", func(o *options) { o.minval = v }} }

// Maxval sets the upper bound of a uniform distribution (maxval=, default 1).
func Maxval(v float64) Option { return Option{"maxval", func(o *options) { o.maxval = v }} }

// Value sets the value of a constant initializer (value=).
func Value(v float64) Option { return Option{"value", func(o *options) { o.value = v }} }

// Trainable sets whether a variable is trained by optimizers (trainable=, default true).
func Trainable(t bool) Option { return Option{"trainable", func(o *options) { o.trainable = t }} }

// WithDType sets the element type (dtype=).
func WithDType(d DType) Option { return Option{"dtype", func(o *options) { o.dtype = d }} }

// WithInitializer sets a variable's initializer (initializer=).
func WithInitializer(init Initializer) Option {
	return Option{"initializer", func(o *options) { o.init = init }}
}

// KeepDims keeps reduced axes with size 1 (keepdims=True).
func KeepDims(k bool) Option { return Option{"keepdims", func(o *options) { o.keepDims = k }} }

// parseOptions applies opts, refusing any whose key is not in allowed.
func parseOptions(fn string, opts []Option, allowed ...string) (*options, error) {
	o := &options{given: map[string]bool{}, stddev: 1, maxval: 1, trainable: true, alpha: 0.2,
		nn: nnOptions{numTrue: 1, subtractLogQ: true, distortion: 1}}
	err := kwargs.Parse(fn, true, allowed, o.given, len(opts), func(i int) string { return opts[i].key }, func(i int) { opts[i].apply(o) })
	if err != nil {
		return nil, err
	}
	return o, nil
}

// TransposeA multiplies by the transpose of the first matrix (transpose_a=True).
func TransposeA(t bool) Option { return Option{"transpose_a", func(o *options) { o.transA = t }} }

// TransposeB multiplies by the transpose of the second matrix (transpose_b=True).
func TransposeB(t bool) Option { return Option{"transpose_b", func(o *options) { o.transB = t }} }

// Axis names the axes to reduce (axis=); negative axes count from the end.
// Without it, reductions reduce every axis; Axis() with no axes (axis=[])
// reduces none.
func Axis(axes ...int) Option {
	return Option{"axis", func(o *options) { o.axes = append([]int{}, axes...) }}
}

// OutputType sets the element type of an op's output where TF takes
// output_type= (tf.argmax, tf.argmin, tf.shape).
func OutputType(d DType) Option { return Option{"output_type", func(o *options) { o.outType = d }} }

// Num sets the number of tensors tf.Unstack returns (num=), needed when the
// unstacked axis is None when the graph is built.
func Num(n int) Option { return Option{"num", func(o *options) { o.num = n }} }

// BatchAxis names tf.ReverseSequence's batch axis (batch_axis=; default 0).
func BatchAxis(a int) Option { return Option{"batch_axis", func(o *options) { o.batchAxis = a }} }

// nameOnly parses options of functions that take only Name.
func nameOnly(fn string, opts []Option) (string, error) {
	o, err := parseOptions(fn, opts, "name")
	if err != nil {
		return "", err
	}
	return o.name, nil
}
