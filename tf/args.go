package tf

// Args is the parsed set of Options given to one call. Packages beside tf
// whose functions take tf Options (nn's activations, so that they share the
// signature of Tanh and Relu) read them through it.
type Args struct{ o *options }

// ParseArgs applies opts for the function named fn, refusing any option
// whose keyword is not in allowed, as tf's own functions do.
func ParseArgs(fn string, opts []Option, allowed ...string) (Args, error) {
	o, err := parseOptions(fn, opts, allowed...)
	if err != nil {
		return Args{}, err
	}
	return Args{o}, nil
}

// Given reports whether the option with keyword key was given ("name",
// "axis", "alpha", ...).
func (a Args) Given(key string) bool { return a.o.given[key] }

// Name returns the Name option ("" when not given).
func (a Args) Name() string { return a.o.name }

// Axes returns the Axis option (nil when not given).
func (a Args) Axes() []int { return a.o.axes }

// KeepDims returns the KeepDims option.
func (a Args) KeepDims() bool { return a.o.keepDims }

// Alpha returns the Alpha option (default 0.2).
func (a Args) Alpha() float64 { return a.o.alpha }

// DType returns the WithDType option (Invalid when not given).
func (a Args) DType() DType { return a.o.dtype }

// Alpha sets the slope of a leaky ReLU for negative inputs (alpha=,
// default 0.2 as tf.nn.leaky_relu).
func Alpha(alpha float64) Option { return Option{"alpha", func(o *options) { o.alpha = alpha }} }
