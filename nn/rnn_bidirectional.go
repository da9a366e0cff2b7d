package nn

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// BidirectionalDynamicRNN runs a forward and a backward RNN over inputs
// (tf.nn.bidirectional_dynamic_rnn): cellFw over inputs as DynamicRNN does,
// and cellBw over inputs reversed in time (each sequence's valid prefix
// reversed with tf.ReverseSequence when SequenceLength is given, the whole
// time axis with tf.Reverse otherwise), whose outputs are reversed back, so
// that outputs[1] at step t is the backward cell's output after reading
// steps T-1 down to t (len-1 down to t with SequenceLength).
//
// It returns outputs = {output_fw, output_bw}, each shaped as inputs with
// depth its cell's OutputSize (zeros past a sequence's length), and
// states = {state_fw, state_bw}, each one tensor per entry of its cell's
// StateSize. A TF 1.x program ports line for line:
//
//	(output_fw, output_bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
//	    cell_fw, cell_bw, X, sequence_length=seq, dtype=tf.float32)
//	outputs = tf.concat([output_fw, output_bw], 2)
//
// becomes
//
//	outputs, states := nn.BidirectionalDynamicRNN(cellFw, cellBw, X,
//	    rnncell.SequenceLength(seq), rnncell.DType(tf.Float32))
//	both := tf.Concat(outputs, 2)
//	stateFw, stateBw := states[0], states[1]
//
// As TF's, the variables live under Scope (default "bidirectional_rnn"),
// in the variable scopes "fw" and "bw": a BasicLSTMCell's are
// "bidirectional_rnn/fw/basic_lstm_cell/kernel" and
// "bidirectional_rnn/bw/basic_lstm_cell/kernel". Each direction is one
// DynamicRNN loop, on its fused path where DynamicRNN takes one
// (BasicRNNCell, BasicLSTMCell, GRUCell and their MultiRNNCell stacks).
//
// Options (rnncell.*): DType (required unless both initial states are
// given), InitialStateFw, InitialStateBw, SequenceLength, TimeMajor,
// SwapMemory (accepted, no effect), Scope. The errors of DynamicRNN apply
// to each direction; on failure every returned tensor carries the error.
func BidirectionalDynamicRNN(cellFw, cellBw rnncell.Cell, inputs *tf.Tensor, opts ...rnncell.Option) (outputs []*tf.Tensor, states [][]*tf.Tensor) {
	fn := "nn.BidirectionalDynamicRNN at " + callsite.User()
	fail := func(err error) ([]*tf.Tensor, [][]*tf.Tensor) {
		t := tfimpl.ErrTensor(err)
		return []*tf.Tensor{t, t}, [][]*tf.Tensor{errState(err, stateLen(cellFw)), errState(err, stateLen(cellBw))}
	}
	o, err := rnncell.ParseOptions("nn.BidirectionalDynamicRNN", opts, "sequence_length", "initial_state_fw", "initial_state_bw",
		"dtype", "swap_memory", "time_major", "scope")
	if err != nil {
		return fail(err)
	}
	if err := checkCells(fn, cellFw, cellBw); err != nil {
		return fail(err)
	}
	if inputs == nil {
		return fail(errors.Errorf("%s: inputs is a nil *tf.Tensor", fn))
	}
	if inputs.Err() != nil {
		return fail(inputs.Err())
	}
	if s := inputs.Shape(); s == nil || len(s) != 3 {
		return fail(errors.Errorf("%s: inputs %q have shape %v; want rank 3, [batch, time, depth] (or [time, batch, depth] with rnncell.TimeMajor)", fn, inputs.Name(), s))
	}
	var common []rnncell.Option
	if o.Given["dtype"] {
		common = append(common, rnncell.DType(o.DType))
	}
	if o.Given["sequence_length"] {
		if o.SequenceLength == nil {
			return fail(errors.Errorf("%s: sequence_length is a nil *tf.Tensor", fn))
		}
		common = append(common, rnncell.SequenceLength(o.SequenceLength))
	}
	common = append(common, rnncell.TimeMajor(o.TimeMajor), rnncell.SwapMemory(o.SwapMemory))
	timeAxis, batchAxis := 1, 0
	if o.TimeMajor {
		timeAxis, batchAxis = 0, 1
	}
	reverse := func(x *tf.Tensor) *tf.Tensor {
		if o.SequenceLength != nil {
			return tf.ReverseSequence(x, o.SequenceLength, timeAxis, tf.BatchAxis(batchAxis))
		}
		return tf.Reverse(x, []int{timeAxis})
	}
	scope := o.Scope
	if scope == "" {
		scope = "bidirectional_rnn"
	}

	closeScope := tf.VariableScope(scope, tf.ReuseInherit)
	outFw, stateFw := DynamicRNN(cellFw, inputs, directionOptions(common, "fw", o)...)
	if outFw.Err() != nil {
		closeScope()
		return fail(errors.Wrapf(outFw.Err(), "%s: the forward direction (cell_fw)", fn))
	}
	closeBw := tf.VariableScope("bw", tf.ReuseInherit)
	reversed := reverse(inputs)
	closeBw()
	tmp, stateBw := DynamicRNN(cellBw, reversed, directionOptions(common, "bw", o)...)
	closeScope()
	if tmp.Err() != nil {
		return fail(errors.Wrapf(tmp.Err(), "%s: the backward direction (cell_bw)", fn))
	}
	outBw := reverse(tmp)
	if outBw.Err() != nil {
		return fail(outBw.Err())
	}
	return []*tf.Tensor{outFw, outBw}, [][]*tf.Tensor{stateFw, stateBw}
}

// StaticBidirectionalRNN unrolls a forward and a backward RNN over a list
// of time steps (tf.nn.static_bidirectional_rnn,
// tf.contrib.rnn.static_bidirectional_rnn): cellFw over inputs as StaticRNN
// does, cellBw over the steps reversed (each sequence's valid prefix
// reversed when SequenceLength is given), its outputs reversed back.
// outputs[t] is the forward and backward outputs of step t concatenated
// along depth, [batch, fw.OutputSize()+bw.OutputSize()]; stateFw and
// stateBw are the two final states. A TF 1.x program ports line for line:
//
//	outputs, state_fw, state_bw = tf.nn.static_bidirectional_rnn(
//	    cell_fw, cell_bw, X_seqs, dtype=tf.float32)
//
// becomes
//
//	outputs, stateFw, stateBw := nn.StaticBidirectionalRNN(cellFw, cellBw, XSeqs,
//	    rnncell.DType(tf.Float32))
//
// Variables are named as TF's: "bidirectional_rnn/fw/basic_rnn_cell/kernel"
// and "bidirectional_rnn/bw/...". Options: DType (required unless both
// initial states are given), InitialStateFw, InitialStateBw,
// SequenceLength, Scope (default "bidirectional_rnn"). The errors of
// StaticRNN apply to each direction; on failure every returned tensor
// carries the error.
func StaticBidirectionalRNN(cellFw, cellBw rnncell.Cell, inputs []*tf.Tensor, opts ...rnncell.Option) (outputs []*tf.Tensor, stateFw, stateBw []*tf.Tensor) {
	fn := "nn.StaticBidirectionalRNN at " + callsite.User()
	fail := func(err error) ([]*tf.Tensor, []*tf.Tensor, []*tf.Tensor) {
		return errState(err, len(inputs)), errState(err, stateLen(cellFw)), errState(err, stateLen(cellBw))
	}
	o, err := rnncell.ParseOptions("nn.StaticBidirectionalRNN", opts, "initial_state_fw", "initial_state_bw", "dtype", "sequence_length", "scope")
	if err != nil {
		return fail(err)
	}
	if err := checkCells(fn, cellFw, cellBw); err != nil {
		return fail(err)
	}
	if len(inputs) == 0 {
		return fail(errors.Errorf("%s: inputs must not be empty", fn))
	}
	var common []rnncell.Option
	if o.Given["dtype"] {
		common = append(common, rnncell.DType(o.DType))
	}
	var lengths *tf.Tensor
	if o.Given["sequence_length"] {
		if o.SequenceLength == nil {
			return fail(errors.Errorf("%s: sequence_length is a nil *tf.Tensor", fn))
		}
		common = append(common, rnncell.SequenceLength(o.SequenceLength))
		lengths = o.SequenceLength
	}
	scope := o.Scope
	if scope == "" {
		scope = "bidirectional_rnn"
	}

	closeScope := tf.VariableScope(scope, tf.ReuseInherit)
	outFw, stateFw := StaticRNN(cellFw, inputs, directionOptions(common, "fw", o)...)
	if err := firstErr(outFw, stateFw); err != nil {
		closeScope()
		return fail(errors.Wrapf(err, "%s: the forward direction (cell_fw)", fn))
	}
	closeBw := tf.VariableScope("bw", tf.ReuseInherit)
	reversed, err := reverseSteps(inputs, lengths)
	closeBw()
	if err != nil {
		closeScope()
		return fail(errors.Wrapf(err, "%s: reversing the inputs", fn))
	}
	tmp, stateBw := StaticRNN(cellBw, reversed, directionOptions(common, "bw", o)...)
	closeScope()
	if err := firstErr(tmp, stateBw); err != nil {
		return fail(errors.Wrapf(err, "%s: the backward direction (cell_bw)", fn))
	}
	outBw, err := reverseSteps(tmp, lengths)
	if err != nil {
		return fail(errors.Wrapf(err, "%s: reversing the backward outputs", fn))
	}
	outputs = make([]*tf.Tensor, len(inputs))
	for t := range outputs {
		outputs[t] = tf.Concat([]*tf.Tensor{outFw[t], outBw[t]}, 1)
		if outputs[t].Err() != nil {
			return fail(outputs[t].Err())
		}
	}
	return outputs, stateFw, stateBw
}

// reverseSteps is TF's _reverse_seq: the list of steps reversed, or, with
// lengths, each sequence's first lengths[b] steps reversed (the steps
// stacked to [time, batch, ...], tf.ReverseSequence along time with the
// lengths as int64, as TF casts them, and unstacked).
func reverseSteps(steps []*tf.Tensor, lengths *tf.Tensor) ([]*tf.Tensor, error) {
	out := make([]*tf.Tensor, len(steps))
	if lengths == nil {
		for t, x := range steps {
			out[len(steps)-1-t] = x
		}
		return out, nil
	}
	if lengths.DType() != tf.Int64 {
		lengths = tf.Cast(lengths, tf.Int64)
	}
	r := tf.ReverseSequence(tf.Stack(steps, 0), lengths, 0, tf.BatchAxis(1))
	if r.Err() != nil {
		return nil, r.Err()
	}
	out = tf.Unstack(r, 0)
	if len(out) != len(steps) {
		return nil, errors.Errorf("unstacking %d steps gave %d", len(steps), len(out))
	}
	return out, firstErr(out, nil)
}

// directionOptions are the options of one direction's loop: the common
// ones, its variable scope dir ("fw" or "bw") and its initial state when
// given.
func directionOptions(common []rnncell.Option, dir string, o *rnncell.Options) []rnncell.Option {
	opts := append(append([]rnncell.Option{}, common...), rnncell.Scope(dir))
	init, given := o.InitialStateFw, o.Given["initial_state_fw"]
	if dir == "bw" {
		init, given = o.InitialStateBw, o.Given["initial_state_bw"]
	}
	if given {
		opts = append(opts, rnncell.InitialState(init...))
	}
	return opts
}

// checkCells checks the two cells of a bidirectional RNN.
func checkCells(fn string, cellFw, cellBw rnncell.Cell) error {
	if cellFw == nil {
		return errors.Errorf("%s: cell_fw is nil; want an rnncell.Cell", fn)
	}
	if cellBw == nil {
		return errors.Errorf("%s: cell_bw is nil; want an rnncell.Cell", fn)
	}
	return nil
}

// stateLen is the number of state tensors of cell (1 for a nil cell).
func stateLen(cell rnncell.Cell) int {
	if cell == nil {
		return 1
	}
	return max(len(cell.StateSize()), 1)
}

// firstErr returns the first error among tensors.
func firstErr(a, b []*tf.Tensor) error {
	for _, t := range append(append([]*tf.Tensor{}, a...), b...) {
		if t == nil {
			return errors.New("a nil *tf.Tensor")
		}
		if t.Err() != nil {
			return t.Err()
		}
	}
	return nil
}
