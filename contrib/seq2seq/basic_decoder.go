package seq2seq

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// BasicDecoderOutput is a decoder's output (TF's BasicDecoderOutput): the
// cell's output after the output layer, and the helper's sample ids.
// From a step they are [batch, size] and [batch]; from DynamicDecode
// [batch, time, size] and [batch, time] (time first with OutputTimeMajor).
type BasicDecoderOutput struct {
	RNNOutput *tf.Tensor // rnn_output
	SampleID  *tf.Tensor // sample_id, int32
}

// Decoder is what DynamicDecode runs (TF's tf.contrib.seq2seq.Decoder).
// BasicDecoder is one.
type Decoder interface {
	// Initialize returns the initial finished flags [batch] (bool), the
	// first inputs and the initial state.
	Initialize() (finished, inputs *tf.Tensor, state []*tf.Tensor)
	// Step runs step time: it returns the step's outputs, the next state,
	// the next inputs and the finished flags.
	Step(time int, inputs *tf.Tensor, state []*tf.Tensor) (outputs BasicDecoderOutput, nextState []*tf.Tensor, nextInputs, finished *tf.Tensor)
	// MaxSteps returns the number of steps known when the graph is built,
	// or -1.
	MaxSteps() int
	// OutputSize returns the size of the RNNOutput of a step.
	OutputSize() int
}

// BasicDecoder is TF's tf.contrib.seq2seq.BasicDecoder(cell, helper,
// initial_state, output_layer): each step runs the cell, applies the
// output layer, and asks the helper for the sample ids, the next inputs
// and the finished flags.
type BasicDecoder struct {
	err          error
	cell         rnncell.Cell
	helper       Helper
	initialState []*tf.Tensor
	outputLayer  Layer
}

// NewBasicDecoder returns a BasicDecoder. A bad argument is reported, with
// the line of this call, by the tensors DynamicDecode returns.
//
// Options: OutputLayer.
func NewBasicDecoder(cell rnncell.Cell, helper Helper, initialState []*tf.Tensor, opts ...Option) *BasicDecoder {
	fn := at("seq2seq.NewBasicDecoder")
	d := &BasicDecoder{cell: cell, helper: helper, initialState: initialState}
	o, err := parse(fn, opts, "output_layer")
	if err != nil {
		d.err = err
		return d
	}
	d.outputLayer = o.outputLayer
	switch {
	case cell == nil:
		d.err = errors.Errorf("%s: cell is nil", fn)
	case helper == nil:
		d.err = errors.Errorf("%s: helper is nil", fn)
	case o.given["output_layer"] && o.outputLayer == nil:
		d.err = errors.Errorf("%s: the output layer is nil", fn)
	case len(initialState) != len(cell.StateSize()):
		d.err = errors.Errorf("%s: initial_state has %d tensors, the cell's state has %d (StateSize %v)", fn, len(initialState), len(cell.StateSize()), cell.StateSize())
	}
	if d.err != nil {
		return d
	}
	if e, ok := helper.(interface{ Err() error }); ok && e.Err() != nil {
		d.err = e.Err()
		return d
	}
	for i, s := range initialState {
		if s == nil {
			d.err = errors.Errorf("%s: initial_state %d is a nil *tf.Tensor", fn, i)
			return d
		}
		if s.Err() != nil {
			d.err = s.Err()
			return d
		}
	}
	return d
}

// Err returns the error the decoder was built with, if any.
func (d *BasicDecoder) Err() error { return d.err }

// Cell returns the decoder's cell.
func (d *BasicDecoder) Cell() rnncell.Cell { return d.cell }

// MaxSteps returns the helper's MaxSteps.
func (d *BasicDecoder) MaxSteps() int {
	if d.err != nil {
		return -1
	}
	return d.helper.MaxSteps()
}

// OutputSize returns the output layer's units, or the cell's output size.
func (d *BasicDecoder) OutputSize() int {
	if d.outputLayer != nil {
		return d.outputLayer.Units()
	}
	if d.cell == nil {
		return 0
	}
	return d.cell.OutputSize()
}

// Initialize returns the helper's initial finished flags and inputs and
// the initial state.
func (d *BasicDecoder) Initialize() (finished, inputs *tf.Tensor, state []*tf.Tensor) {
	if d.err != nil {
		return tfimpl.ErrTensor(d.err), tfimpl.ErrTensor(d.err), errState(d.err, len(d.initialState))
	}
	finished, inputs = d.helper.Initialize()
	return finished, inputs, d.initialState
}

// Step runs the cell on inputs and state, applies the output layer, and
// asks the helper for the sample ids, next inputs and finished flags.
func (d *BasicDecoder) Step(time int, inputs *tf.Tensor, state []*tf.Tensor) (outputs BasicDecoderOutput, nextState []*tf.Tensor, nextInputs, finished *tf.Tensor) {
	if d.err != nil {
		e := tfimpl.ErrTensor(d.err)
		return BasicDecoderOutput{e, e}, errState(d.err, len(state)), e, e
	}
	defer tf.NameScope("BasicDecoderStep")()
	cellOutputs, cellState := d.cell.Call(inputs, state)
	if d.outputLayer != nil {
		cellOutputs = d.outputLayer.Apply(cellOutputs)
	}
	sampleIDs := d.helper.Sample(time, cellOutputs, cellState)
	finished, nextInputs, nextState = d.helper.NextInputs(time, cellOutputs, cellState, sampleIDs)
	return BasicDecoderOutput{RNNOutput: cellOutputs, SampleID: sampleIDs}, nextState, nextInputs, finished
}

func errState(err error, n int) []*tf.Tensor {
	st := make([]*tf.Tensor, max(n, 1))
	for i := range st {
		st[i] = tfimpl.ErrTensor(err)
	}
	return st
}
