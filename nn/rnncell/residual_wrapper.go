package rnncell

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// ResidualWrapper adds a step's inputs to the wrapped cell's outputs
// (tf.nn.rnn_cell.ResidualWrapper, tf.contrib.rnn.ResidualWrapper): its
// output is inputs + output (or ResidualFn(inputs, output)), its state the
// cell's. The inputs' depth must equal the cell's output size. It opens no
// variable scope.
type ResidualWrapper struct {
	cell Cell
	fn   func(inputs, outputs *tf.Tensor) *tf.Tensor
	err  error
}

// NewResidualWrapper wraps cell (ResidualWrapper(cell)). A bad argument is
// reported, with the line of this call, by the first Call.
//
// Options: ResidualFn (default inputs + outputs).
func NewResidualWrapper(cell Cell, opts ...Option) *ResidualWrapper {
	const fn = "rnn.NewResidualWrapper"
	w := &ResidualWrapper{cell: cell, fn: func(x, y *tf.Tensor) *tf.Tensor { return tf.Add(x, y) }}
	o, err := ParseOptions(fn, opts, "residual_fn")
	switch {
	case err != nil:
		w.err = err
	case cell == nil:
		w.err = errorf("%s: cell is nil", fn)
	case o.Given["residual_fn"] && o.ResidualFn == nil:
		w.err = errorf("%s: residual_fn is nil", fn)
	case o.Given["residual_fn"]:
		w.fn = o.ResidualFn
	}
	return w
}

// Cell returns the wrapped cell.
func (w *ResidualWrapper) Cell() Cell { return w.cell }

// StateSize returns the wrapped cell's state sizes.
func (w *ResidualWrapper) StateSize() []int {
	if w.cell == nil {
		return []int{0}
	}
	return w.cell.StateSize()
}

// StateKinds returns the wrapped cell's state kinds.
func (w *ResidualWrapper) StateKinds() []StateKind { return StateKinds(w.cell) }

// OutputSize returns the wrapped cell's output size.
func (w *ResidualWrapper) OutputSize() int {
	if w.cell == nil {
		return 0
	}
	return w.cell.OutputSize()
}

// ZeroState returns the wrapped cell's zero state.
func (w *ResidualWrapper) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	if w.err != nil {
		return errState(w.err, len(w.StateSize()))
	}
	return w.cell.ZeroState(batchSize, dtype)
}

// Call runs the wrapped cell and adds the inputs to its output.
func (w *ResidualWrapper) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	n := len(w.StateSize())
	if w.err != nil {
		return fail(w.err, n)
	}
	if err := checkStep("rnn.ResidualWrapper", inputs, state, w.StateSize()); err != nil {
		return fail(err, n)
	}
	if s := inputs.Shape(); s[1] >= 0 && s[1] != w.cell.OutputSize() {
		return fail(errorf("rnn.ResidualWrapper: inputs %q have depth %d but the cell's outputs have %d: the residual connection adds them, so they must agree", inputs.Name(), s[1], w.cell.OutputSize()), n)
	}
	out, ns := w.cell.Call(inputs, state)
	if out == nil || out.Err() != nil {
		return out, ns
	}
	return w.fn(inputs, out), ns
}

// DeviceWrapper runs a cell under a device scope
// (tf.nn.rnn_cell.DeviceWrapper, tf.contrib.rnn.DeviceWrapper): the ops of
// its steps and its zero state record the device (tf.Device). gorgoflow
// runs every op on the CPU, so the device is accepted and recorded, and the
// cell computes exactly as without the wrapper.
type DeviceWrapper struct {
	cell   Cell
	device string
	err    error
}

// NewDeviceWrapper wraps cell for device (DeviceWrapper(cell, device)), as
// "/gpu:0". A nil cell is reported, with the line of this call, by the first
// Call.
func NewDeviceWrapper(cell Cell, device string) *DeviceWrapper {
	w := &DeviceWrapper{cell: cell, device: device}
	if cell == nil {
		w.err = errorf("rnn.NewDeviceWrapper: cell is nil")
	}
	return w
}

// Cell returns the wrapped cell.
func (w *DeviceWrapper) Cell() Cell { return w.cell }

// Device returns the device name given to NewDeviceWrapper.
func (w *DeviceWrapper) Device() string { return w.device }

// StateSize returns the wrapped cell's state sizes.
func (w *DeviceWrapper) StateSize() []int {
	if w.cell == nil {
		return []int{0}
	}
	return w.cell.StateSize()
}

// StateKinds returns the wrapped cell's state kinds.
func (w *DeviceWrapper) StateKinds() []StateKind { return StateKinds(w.cell) }

// OutputSize returns the wrapped cell's output size.
func (w *DeviceWrapper) OutputSize() int {
	if w.cell == nil {
		return 0
	}
	return w.cell.OutputSize()
}

// ZeroState returns the wrapped cell's zero state, built under the device.
func (w *DeviceWrapper) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	if w.err != nil {
		return errState(w.err, len(w.StateSize()))
	}
	defer tf.Device(w.device)()
	return w.cell.ZeroState(batchSize, dtype)
}

// Call runs the wrapped cell under the device scope.
func (w *DeviceWrapper) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	if w.err != nil {
		return fail(w.err, len(w.StateSize()))
	}
	defer tf.Device(w.device)()
	return w.cell.Call(inputs, state)
}
