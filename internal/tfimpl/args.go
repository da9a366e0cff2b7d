package tfimpl

import "github.com/gorgoflow/gorgoflow/tf"

// Args is the parsed set of tf Options given to one call. Packages beside
// tf whose functions take tf Options (nn's activations, so that they share
// the signature of tf.Tanh and tf.Relu) read them through it.
type Args struct {
	given map[string]bool
	value func(key string) any
}

// ParseArgs applies opts for the function named fn, refusing any option
// whose keyword is not in allowed, as tf's own functions do.
func ParseArgs(fn string, opts []tf.Option, allowed ...string) (Args, error) {
	given, value, err := tfe.ParseArgs(fn, opts, allowed)
	if err != nil {
		return Args{}, err
	}
	return Args{given, value}, nil
}

// Given reports whether the option with keyword key was given ("name",
// "axis", "alpha", ...).
func (a Args) Given(key string) bool { return a.given[key] }

// Name returns the Name option ("" when not given).
func (a Args) Name() string { return a.value("name").(string) }

// Axes returns the Axis option (nil when not given).
func (a Args) Axes() []int { return a.value("axis").([]int) }

// KeepDims returns the KeepDims option.
func (a Args) KeepDims() bool { return a.value("keepdims").(bool) }

// Alpha returns the Alpha option (default 0.2).
func (a Args) Alpha() float64 { return a.value("alpha").(float64) }

// DType returns the WithDType option (Invalid when not given).
func (a Args) DType() tf.DType { return a.value("dtype").(tf.DType) }

// NoiseShape returns the NoiseShape option (nil when not given).
func (a Args) NoiseShape() tf.Shape { return a.value("noise_shape").(tf.Shape) }

// Seed returns the Seed option and whether it was given.
func (a Args) Seed() (int64, bool) { return a.value("seed").(int64), a.given["seed"] }

// PartitionStrategy returns the PartitionStrategy option.
func (a Args) PartitionStrategy() tf.Partition {
	return a.value("partition_strategy").(tf.Partition)
}

// MaxNorm returns the MaxNorm option (0 when not given).
func (a Args) MaxNorm() float64 { return a.value("max_norm").(float64) }

// NumTrue returns the NumTrue option (default 1).
func (a Args) NumTrue() int { return a.value("num_true").(int) }

// SampledValues returns the SampledValues option (nil when not given).
func (a Args) SampledValues() []*tf.Tensor { return a.value("sampled_values").([]*tf.Tensor) }

// RemoveAccidentalHits returns the RemoveAccidentalHits option.
func (a Args) RemoveAccidentalHits() bool { return a.value("remove_accidental_hits").(bool) }

// SubtractLogQ returns the SubtractLogQ option (default true).
func (a Args) SubtractLogQ() bool { return a.value("subtract_log_q").(bool) }

// Unigrams returns the Unigrams option.
func (a Args) Unigrams() []float64 { return a.value("unigrams").([]float64) }

// Distortion returns the Distortion option (default 1).
func (a Args) Distortion() float64 { return a.value("distortion").(float64) }

// NumReservedIDs returns the NumReservedIDs option.
func (a Args) NumReservedIDs() int { return a.value("num_reserved_ids").(int) }

// Value returns the option with keyword key (options_math.go's ones:
// "data_format", "epsilon", "sorted", "weights", ...), nil when not given.
func (a Args) Value(key string) any { return a.value(key) }

// Float returns the float option with keyword key, def when not given.
func (a Args) Float(key string, def float64) float64 {
	if v, ok := a.value(key).(float64); ok && a.given[key] {
		return v
	}
	return def
}

// Bool returns the bool option with keyword key, def when not given.
func (a Args) Bool(key string, def bool) bool {
	if v, ok := a.value(key).(bool); ok && a.given[key] {
		return v
	}
	return def
}

// String returns the string option with keyword key, def when not given.
func (a Args) String(key, def string) string {
	if v, ok := a.value(key).(string); ok && a.given[key] {
		return v
	}
	return def
}
