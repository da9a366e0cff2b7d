package seq2seq

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// DynamicDecode runs decoder until every sequence has finished or
// MaximumIterations steps (tf.contrib.seq2seq.dynamic_decode): it returns
// the outputs (rnn_output [batch, time, size] and sample_id [batch, time],
// time first with OutputTimeMajor), the final state and the final sequence
// lengths [batch] (int32: the step at which each sequence finished, plus
// one).
//
// Each step follows TF's loop body: a sequence's finished flag is the
// decoder's or its earlier one, or'ed with time+1 >= MaximumIterations; its
// length is time+1 while it was not yet finished; with ImputeFinished the
// outputs of finished sequences are zeros and their state is copied
// through. The loop is unrolled when the graph is built (MaximumIterations
// steps, else the decoder's MaxSteps; the package comment says how the
// outputs differ from TF's after every sequence has finished). With an
// AttentionWrapper cell made with AlignmentHistory, the final state ends
// with the alignments of every step, [time, batch, memory time].
//
// Options: OutputTimeMajor, ImputeFinished, MaximumIterations, SwapMemory
// (no effect), Scope.
func DynamicDecode(decoder Decoder, opts ...Option) (outputs BasicDecoderOutput, finalState []*tf.Tensor, finalSequenceLengths *tf.Tensor) {
	fn := at("seq2seq.DynamicDecode")
	fail := func(err error) (BasicDecoderOutput, []*tf.Tensor, *tf.Tensor) {
		e := tfimpl.ErrTensor(err)
		return BasicDecoderOutput{e, e}, []*tf.Tensor{e}, e
	}
	o, err := parse(fn, opts, "output_time_major", "impute_finished", "maximum_iterations", "swap_memory", "scope")
	if err != nil {
		return fail(err)
	}
	if decoder == nil {
		return fail(errors.Errorf("%s: decoder is nil", fn))
	}
	if e, ok := decoder.(interface{ Err() error }); ok && e.Err() != nil {
		return fail(e.Err())
	}
	if o.given["maximum_iterations"] && o.maxIter < 1 {
		return fail(errors.Errorf("%s: maximum_iterations must be positive, got %d", fn, o.maxIter))
	}
	n := decoder.MaxSteps()
	if o.given["maximum_iterations"] && (n < 0 || o.maxIter < n) {
		n = o.maxIter
	}
	if n < 1 {
		return fail(errors.Errorf("%s: the number of decoding steps is not known when the graph is built (a GreedyEmbeddingHelper stops at end_token, at Run time): give MaximumIterations; gorgoflow unrolls the decoding loop", fn))
	}
	scope := o.scope
	if scope == "" {
		scope = tf.UniqueVariableScope("decoder")
	}
	defer tf.VariableScope(scope, tf.ReuseInherit)()

	finished, inputs, state := decoder.Initialize()
	for _, t := range append([]*tf.Tensor{finished, inputs}, state...) {
		if t.Err() != nil {
			return fail(t.Err())
		}
	}
	var history *attentionHistory
	if bd, ok := decoder.(*BasicDecoder); ok {
		if w, ok := bd.cell.(*AttentionWrapper); ok && w.alignHistory {
			history = &attentionHistory{index: len(w.cell.StateSize()) + 1}
		}
	}
	// finished as int32 0/1, for or (maximum) and all (minimum).
	fin := tf.Cast(finished, tf.Int32)
	seqLen := tf.ZerosLike(fin)
	var outs, ids []*tf.Tensor
	for t := 0; t < n; t++ {
		// TF's loop runs step t only while some sequence is unfinished.
		running := tf.Equal(tf.ReduceMin(fin), tf.Constant(int32(0), tf.Int32))
		out, nextState, nextInputs, decFinished := decoder.Step(t, inputs, state)
		for _, x := range append([]*tf.Tensor{out.RNNOutput, out.SampleID, nextInputs, decFinished}, nextState...) {
			if x.Err() != nil {
				return fail(x.Err())
			}
		}
		if len(nextState) != len(state) {
			return fail(errors.Errorf("%s: step %d returned %d state tensors, the initial state has %d", fn, t, len(nextState), len(state)))
		}
		nextState = append([]*tf.Tensor(nil), nextState...)
		nextFin := tf.Maximum(tf.Cast(decFinished, tf.Int32), fin)
		wasFinished := tf.Greater(fin, tf.ZerosLike(fin))
		seqLen = tf.Where(wasFinished, seqLen, tf.Add(tf.ZerosLike(seqLen), int32(t+1)))
		if history != nil {
			history.steps = append(history.steps, tf.Where(running, nextState[history.index], tf.ZerosLike(nextState[history.index])))
		}
		rnnOut, sampleID := out.RNNOutput, out.SampleID
		if o.imputeFinished {
			rows := tf.ExpandDims(wasFinished, 1)
			rnnOut = tf.Where(rows, tf.ZerosLike(rnnOut), rnnOut)
			sampleID = tf.Where(wasFinished, tf.ZerosLike(sampleID), sampleID)
			for i := range nextState {
				if len(nextState[i].Shape()) == 2 {
					nextState[i] = tf.Where(rows, state[i], nextState[i])
				}
			}
		}
		// Past TF's last step: zeros out, the state as TF's loop left it.
		rnnOut = tf.Where(running, rnnOut, tf.ZerosLike(rnnOut))
		sampleID = tf.Where(running, sampleID, tf.ZerosLike(sampleID))
		for i := range nextState {
			nextState[i] = tf.Where(running, nextState[i], state[i])
		}
		if o.given["maximum_iterations"] && t+1 >= o.maxIter {
			nextFin = tf.OnesLike(nextFin)
		}
		outs, ids = append(outs, rnnOut), append(ids, sampleID)
		state, inputs, fin = nextState, nextInputs, nextFin
	}
	axis := 1
	if o.outputTimeMajor {
		axis = 0
	}
	outputs = BasicDecoderOutput{RNNOutput: tf.Stack(outs, axis), SampleID: tf.Stack(ids, axis)}
	finalState = state
	if history != nil {
		finalState = append(append([]*tf.Tensor(nil), state...), tf.Stack(history.steps, 0))
	}
	return outputs, finalState, seqLen
}

// attentionHistory collects an AttentionWrapper's alignments per step.
type attentionHistory struct {
	index int // of the alignments in the wrapper's state
	steps []*tf.Tensor
}
