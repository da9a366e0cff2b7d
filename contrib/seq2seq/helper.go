package seq2seq

import (
	"math"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/tf"
)

var negInf = math.Inf(-1)

// Helper drives a BasicDecoder (TF's tf.contrib.seq2seq.Helper): it gives
// the first inputs, picks each step's sample ids from the outputs and gives
// the next inputs and which sequences have finished. Finished flags are
// bool tensors [batch]; time is the step number, from 0.
type Helper interface {
	// Initialize returns the initial finished flags and the first inputs.
	Initialize() (finished, inputs *tf.Tensor)
	// Sample returns the sample ids [batch] (int32) of step time's outputs.
	Sample(time int, outputs *tf.Tensor, state []*tf.Tensor) *tf.Tensor
	// NextInputs returns the finished flags after step time, the inputs of
	// step time+1 and the state to carry on.
	NextInputs(time int, outputs *tf.Tensor, state []*tf.Tensor, sampleIDs *tf.Tensor) (finished, nextInputs *tf.Tensor, nextState []*tf.Tensor)
	// MaxSteps returns the number of steps the helper can feed when the
	// graph is built, or -1 when that is known only at Run time (it bounds
	// DynamicDecode's unrolled loop without MaximumIterations).
	MaxSteps() int
}

// argmaxIDs returns cast(argmax(outputs, -1), int32), the greedy ids.
func argmaxIDs(outputs *tf.Tensor) *tf.Tensor {
	if outputs.Err() != nil {
		return outputs
	}
	return tf.Cast(tf.ArgMax(outputs, len(outputs.Shape())-1), tf.Int32)
}

// TrainingHelper reads the decoder's inputs from a tensor (teacher
// forcing): tf.contrib.seq2seq.TrainingHelper(inputs, sequence_length). A
// sequence has finished once time+1 >= its length; the sample ids are the
// outputs' argmax.
type TrainingHelper struct {
	err    error
	steps  []*tf.Tensor // inputs per step, [batch, depth]
	seqLen *tf.Tensor
}

// NewTrainingHelper returns a TrainingHelper over inputs [batch, time,
// depth] ([time, batch, depth] with TimeMajor) with the sequences' lengths
// [batch] (int32). The time dimension must be known when the graph is
// built (the decoding loop is unrolled; see the package comment).
//
// Options: TimeMajor.
func NewTrainingHelper(inputs, sequenceLength *tf.Tensor, opts ...Option) *TrainingHelper {
	fn := at("seq2seq.NewTrainingHelper")
	h := &TrainingHelper{}
	o, err := parse(fn, opts, "time_major")
	if err != nil {
		h.err = err
		return h
	}
	switch {
	case inputs == nil || sequenceLength == nil:
		h.err = errors.Errorf("%s: inputs or sequence_length is a nil *tf.Tensor", fn)
	case inputs.Err() != nil:
		h.err = inputs.Err()
	case sequenceLength.Err() != nil:
		h.err = sequenceLength.Err()
	case len(inputs.Shape()) != 3:
		h.err = errors.Errorf("%s: inputs %q have shape %v; want [batch, time, depth] (or [time, batch, depth] with TimeMajor)", fn, inputs.Name(), inputs.Shape())
	case len(sequenceLength.Shape()) != 1:
		h.err = errors.Errorf("%s: Expected sequence_length to be a vector, but received shape: %v", fn, sequenceLength.Shape())
	case sequenceLength.DType() != tf.Int32:
		h.err = errors.Errorf("%s: sequence_length %q has dtype %s, want int32", fn, sequenceLength.Name(), sequenceLength.DType())
	}
	if h.err != nil {
		return h
	}
	axis := 1
	if o.timeMajor {
		axis = 0
	}
	if inputs.Shape()[axis] < 1 {
		h.err = errors.Errorf("%s: inputs %q have shape %v: their time dimension must be known when the graph is built (gorgoflow unrolls the decoding loop)", fn, inputs.Name(), inputs.Shape())
		return h
	}
	h.steps = tf.Unstack(inputs, axis)
	h.seqLen = sequenceLength
	return h
}

// Err returns the error the helper was built with, if any.
func (h *TrainingHelper) Err() error { return h.err }

// MaxSteps returns the inputs' number of steps.
func (h *TrainingHelper) MaxSteps() int { return len(h.steps) }

// SequenceLength returns the lengths the helper was given.
func (h *TrainingHelper) SequenceLength() *tf.Tensor { return h.seqLen }

// Initialize returns finished = (0 == sequence_length) and the first step's
// inputs.
func (h *TrainingHelper) Initialize() (finished, inputs *tf.Tensor) {
	if h.err != nil {
		return tfimpl.ErrTensor(h.err), tfimpl.ErrTensor(h.err)
	}
	return tf.Equal(h.seqLen, tf.ZerosLike(h.seqLen)), h.steps[0]
}

// Sample returns the outputs' argmax as int32.
func (h *TrainingHelper) Sample(time int, outputs *tf.Tensor, state []*tf.Tensor) *tf.Tensor {
	if h.err != nil {
		return tfimpl.ErrTensor(h.err)
	}
	return argmaxIDs(outputs)
}

// NextInputs returns finished = (time+1 >= sequence_length) and the
// inputs of step time+1 (zeros after the last step).
func (h *TrainingHelper) NextInputs(time int, outputs *tf.Tensor, state []*tf.Tensor, sampleIDs *tf.Tensor) (finished, nextInputs *tf.Tensor, nextState []*tf.Tensor) {
	if h.err != nil {
		return tfimpl.ErrTensor(h.err), tfimpl.ErrTensor(h.err), state
	}
	finished = tf.GreaterEqual(tf.Constant(int32(time+1), tf.Int32), h.seqLen)
	if time+1 < len(h.steps) {
		return finished, h.steps[time+1], state
	}
	return finished, tf.ZerosLike(h.steps[0]), state
}

// GreedyEmbeddingHelper feeds each step the embedding of the previous
// step's argmax (greedy decoding): tf.contrib.seq2seq.GreedyEmbeddingHelper
// (embedding, start_tokens, end_token). A sequence has finished once it
// emits end_token.
type GreedyEmbeddingHelper struct {
	err         error
	embed       func(ids *tf.Tensor) *tf.Tensor
	startTokens *tf.Tensor
	endToken    int32
	startInputs *tf.Tensor
}

// NewGreedyEmbeddingHelper returns a GreedyEmbeddingHelper. embedding is
// the params of nn.EmbeddingLookup (a *tf.Variable or *tf.Tensor
// [vocabulary, depth]) or a func(ids *tf.Tensor) *tf.Tensor; startTokens
// is an int32 vector [batch] (a *tf.Tensor or []int32), endToken the id
// that ends a sequence.
func NewGreedyEmbeddingHelper(embedding any, startTokens any, endToken int) *GreedyEmbeddingHelper {
	fn := at("seq2seq.NewGreedyEmbeddingHelper")
	h := &GreedyEmbeddingHelper{endToken: int32(endToken)}
	switch e := embedding.(type) {
	case func(ids *tf.Tensor) *tf.Tensor:
		if e == nil {
			h.err = errors.Errorf("%s: embedding is a nil function", fn)
		}
		h.embed = e
	case *tf.Variable:
		if e == nil {
			h.err = errors.Errorf("%s: embedding is a nil *tf.Variable", fn)
		}
		h.embed = func(ids *tf.Tensor) *tf.Tensor { return nn.EmbeddingLookup(e, ids) }
	case *tf.Tensor:
		if e == nil {
			h.err = errors.Errorf("%s: embedding is a nil *tf.Tensor", fn)
		}
		h.embed = func(ids *tf.Tensor) *tf.Tensor { return nn.EmbeddingLookup(e, ids) }
	default:
		h.err = errors.Errorf("%s: embedding is a %T; want the params of an embedding lookup (*tf.Variable or *tf.Tensor) or a func(ids *tf.Tensor) *tf.Tensor", fn, embedding)
	}
	switch s := startTokens.(type) {
	case *tf.Tensor:
		h.startTokens = s
	case []int32:
		h.startTokens = tf.Constant(s, tf.Int32, tf.Name("start_tokens"))
	default:
		h.err = errors.Errorf("%s: start_tokens is a %T; want an int32 vector (*tf.Tensor or []int32)", fn, startTokens)
	}
	if h.err != nil {
		return h
	}
	switch {
	case h.startTokens == nil:
		h.err = errors.Errorf("%s: start_tokens is a nil *tf.Tensor", fn)
	case h.startTokens.Err() != nil:
		h.err = h.startTokens.Err()
	case len(h.startTokens.Shape()) != 1:
		h.err = errors.Errorf("%s: start_tokens must be a vector, got shape %v", fn, h.startTokens.Shape())
	case h.startTokens.DType() != tf.Int32:
		h.err = errors.Errorf("%s: start_tokens %q have dtype %s, want int32", fn, h.startTokens.Name(), h.startTokens.DType())
	}
	if h.err != nil {
		return h
	}
	h.startInputs = h.embed(h.startTokens)
	if h.startInputs.Err() != nil {
		h.err = h.startInputs.Err()
	}
	return h
}

// Err returns the error the helper was built with, if any.
func (h *GreedyEmbeddingHelper) Err() error { return h.err }

// MaxSteps returns -1: greedy decoding stops at end_token, known only at
// Run time.
func (h *GreedyEmbeddingHelper) MaxSteps() int { return -1 }

// Initialize returns no sequence finished and the start tokens' embeddings.
func (h *GreedyEmbeddingHelper) Initialize() (finished, inputs *tf.Tensor) {
	if h.err != nil {
		return tfimpl.ErrTensor(h.err), tfimpl.ErrTensor(h.err)
	}
	return tf.Less(h.startTokens, tf.ZerosLike(h.startTokens)), h.startInputs
}

// Sample returns the outputs' argmax as int32.
func (h *GreedyEmbeddingHelper) Sample(time int, outputs *tf.Tensor, state []*tf.Tensor) *tf.Tensor {
	if h.err != nil {
		return tfimpl.ErrTensor(h.err)
	}
	return argmaxIDs(outputs)
}

// NextInputs returns finished = (sample_ids == end_token) and the sample
// ids' embeddings.
func (h *GreedyEmbeddingHelper) NextInputs(time int, outputs *tf.Tensor, state []*tf.Tensor, sampleIDs *tf.Tensor) (finished, nextInputs *tf.Tensor, nextState []*tf.Tensor) {
	if h.err != nil {
		return tfimpl.ErrTensor(h.err), tfimpl.ErrTensor(h.err), state
	}
	finished = tf.Equal(sampleIDs, tf.Constant(h.endToken, tf.Int32))
	return finished, h.embed(sampleIDs), state
}
