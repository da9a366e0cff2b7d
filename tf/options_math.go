package tf

// Keyword arguments of package nn's math ops (nn_ops, nn_impl) and of
// package losses (tf.losses). Each function documents the ones it takes.

// setExtra records an option of this file under its keyword.
func (o *options) setExtra(key string, v any) {
	if o.extra == nil {
		o.extra = map[string]any{}
	}
	o.extra[key] = v
}

func extraOption(key string, v any) Option {
	return Option{key, func(o *options) { o.setExtra(key, v) }}
}

// DataFormat sets the layout of a tensor with channels (data_format=):
// "NHWC" (channels last, TF's default) or "NCHW" (channels second).
func DataFormat(f string) Option { return extraOption("data_format", f) }

// Epsilon sets a small constant that keeps a division or a logarithm
// finite (epsilon=; nn.L2Normalize's default is 1e-12, losses.LogLoss's
// 1e-7).
func Epsilon(e float64) Option { return extraOption("epsilon", e) }

// Sorted sets whether nn.TopK returns its k values in descending order
// (sorted=, default true).
func Sorted(s bool) Option { return extraOption("sorted", s) }

// ComputeFullLoss adds the Stirling approximation term to
// nn.LogPoissonLoss (compute_full_loss=, default false).
func ComputeFullLoss(c bool) Option { return extraOption("compute_full_loss", c) }

// Weights weights a loss's elements (weights=, default 1.0): a scalar, or
// a tensor broadcastable to the loss's shape. Go values are converted to
// the loss's dtype.
func Weights(w any) Option { return extraOption("weights", w) }

// LabelSmoothing smooths the labels of a cross-entropy loss toward
// uniform (label_smoothing=, default 0).
func LabelSmoothing(s float64) Option { return extraOption("label_smoothing", s) }

// Delta sets the point where the Huber loss changes from quadratic to
// linear (delta=, default 1.0).
func Delta(d float64) Option { return extraOption("delta", d) }

// Reduction sets how a loss of package losses reduces the weighted
// per-element losses (reduction=): one of the losses package's
// constants, TF's tf.losses.Reduction strings ("weighted_sum_by_nonzero_weights",
// the default, "none", "weighted_sum", "weighted_mean",
// "weighted_sum_over_batch_size").
func Reduction(r string) Option { return extraOption("reduction", r) }

// LossCollection sets the collection a loss of package losses is added to
// (loss_collection=, default tf.GraphKeys.LOSSES, "losses"); "" adds it to
// none.
func LossCollection(c string) Option { return extraOption("loss_collection", c) }
