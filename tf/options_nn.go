package tf

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
