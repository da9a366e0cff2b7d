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

// NoiseShape returns the NoiseShape option (nil when not given).
func (a Args) NoiseShape() Shape { return a.o.noise }

// Alpha sets the slope of a leaky ReLU for negative inputs (alpha=,
// default 0.2 as tf.nn.leaky_relu).
func Alpha(alpha float64) Option { return Option{"alpha", func(o *options) { o.alpha = alpha }} }

// Partition is how nn.EmbeddingLookup spreads ids over several shards of
// params (partition_strategy=).
type Partition int

const (
	// PartitionMod puts id in shard id % n, row id / n ("mod", TF's default).
	PartitionMod Partition = iota
	// PartitionDiv puts contiguous ranges of ids in each shard, the first
	// total % n shards one row larger ("div").
	PartitionDiv
)

// String returns TF's name of the strategy.
func (p Partition) String() string {
	if p == PartitionDiv {
		return "div"
	}
	return "mod"
}

// PartitionStrategy sets how ids map to the shards of sharded params
// (partition_strategy=, default PartitionMod).
func PartitionStrategy(p Partition) Option {
	return Option{"partition_strategy", func(o *options) { o.nn.partition = p }}
}

// MaxNorm clips each looked-up embedding to an L2 norm of at most n
// (max_norm=).
func MaxNorm(n float64) Option { return Option{"max_norm", func(o *options) { o.nn.maxNorm = n }} }

// NumTrue sets the number of target classes per example (num_true=,
// default 1).
func NumTrue(n int) Option { return Option{"num_true", func(o *options) { o.nn.numTrue = n }} }

// SampledValues gives a sampled loss the output of a candidate sampler
// (sampled_values=): the sampled candidates [num_sampled], their expected
// counts [num_sampled] and the true classes' expected counts
// [batch, num_true], in the order TF's samplers return them: (sampled,
// trueExpected, sampledExpected).
func SampledValues(sampled, trueExpected, sampledExpected *Tensor) Option {
	v := []*Tensor{sampled, trueExpected, sampledExpected}
	return Option{"sampled_values", func(o *options) { o.nn.sampled = v }}
}

// RemoveAccidentalHits removes sampled classes that equal a target class
// from a sampled loss (remove_accidental_hits=; default false for
// nce_loss, true for sampled_softmax_loss).
func RemoveAccidentalHits(r bool) Option {
	return Option{"remove_accidental_hits", func(o *options) { o.nn.removeHits = r }}
}

// SubtractLogQ subtracts the log of the expected counts from the sampled
// logits (subtract_log_q=, default true).
func SubtractLogQ(s bool) Option {
	return Option{"subtract_log_q", func(o *options) { o.nn.subtractLogQ = s }}
}

// Unigrams gives fixed_unigram_candidate_sampler's unigram counts or
// probabilities, one per class (unigrams=).
func Unigrams(u []float64) Option {
	c := append([]float64(nil), u...)
	return Option{"unigrams", func(o *options) { o.nn.unigrams = c }}
}

// Distortion raises the unigrams to this power before sampling
// (distortion=, default 1).
func Distortion(d float64) Option {
	return Option{"distortion", func(o *options) { o.nn.distortion = d }}
}

// NumReservedIDs gives the first n ids probability 0 (num_reserved_ids=).
func NumReservedIDs(n int) Option {
	return Option{"num_reserved_ids", func(o *options) { o.nn.reserved = n }}
}

// Seed returns the Seed option and whether it was given.
func (a Args) Seed() (int64, bool) { return a.o.seed, a.o.given["seed"] }

// PartitionStrategy returns the PartitionStrategy option.
func (a Args) PartitionStrategy() Partition { return a.o.nn.partition }

// MaxNorm returns the MaxNorm option (0 when not given).
func (a Args) MaxNorm() float64 { return a.o.nn.maxNorm }

// NumTrue returns the NumTrue option (default 1).
func (a Args) NumTrue() int { return a.o.nn.numTrue }

// SampledValues returns the SampledValues option (nil when not given).
func (a Args) SampledValues() []*Tensor { return a.o.nn.sampled }

// RemoveAccidentalHits returns the RemoveAccidentalHits option.
func (a Args) RemoveAccidentalHits() bool { return a.o.nn.removeHits }

// SubtractLogQ returns the SubtractLogQ option (default true).
func (a Args) SubtractLogQ() bool { return a.o.nn.subtractLogQ }

// Unigrams returns the Unigrams option.
func (a Args) Unigrams() []float64 { return a.o.nn.unigrams }

// Distortion returns the Distortion option (default 1).
func (a Args) Distortion() float64 { return a.o.nn.distortion }

// NumReservedIDs returns the NumReservedIDs option.
func (a Args) NumReservedIDs() int { return a.o.nn.reserved }
