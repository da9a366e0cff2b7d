package rnncell

import (
	"reflect"
	"strconv"

	"github.com/gorgoflow/gorgoflow/tf"
)

// MultiRNNCell stacks cells (tf.nn.rnn_cell.MultiRNNCell,
// tf.contrib.rnn.MultiRNNCell): layer 0 reads the step's inputs, layer l
// reads layer l-1's output, and the stack's output is the last layer's. Its
// state is the layers' states in order: the flat state is the concatenation
// of the layers' flat states (TF's tuple of per-layer states, flattened);
// LayerState gives one layer's part.
//
// On its first Call it opens the variable scope "multi_rnn_cell" (made
// unique as TF's default names) and calls layer l in the scope "cell_<l>",
// so the layers' variables are TF's:
// "<scope>/multi_rnn_cell/cell_0/basic_lstm_cell/kernel", ...
type MultiRNNCell struct {
	cells []Cell
	err   error
	scope string
}

// NewMultiRNNCell stacks cells (MultiRNNCell(cells)). cells is a []Cell, or
// a slice of any cell type ([]*BasicLSTMCell), as Python's list of cells. A
// bad argument is reported, with the line of this call, by the first Call.
// TF's state_is_tuple=True is the only form (False is deprecated in TF).
func NewMultiRNNCell(cells any, opts ...Option) *MultiRNNCell {
	const fn = "rnn.NewMultiRNNCell"
	m := &MultiRNNCell{}
	if _, err := ParseOptions(fn, opts); err != nil {
		m.err = err
		return m
	}
	list, err := cellList(fn, cells)
	if err != nil {
		m.err = err
		return m
	}
	m.cells = list
	return m
}

// cellList returns cells as a []Cell.
func cellList(fn string, cells any) ([]Cell, error) {
	if list, ok := cells.([]Cell); ok {
		if len(list) == 0 {
			return nil, errorf("%s: Must specify at least one cell for MultiRNNCell", fn)
		}
		for i, c := range list {
			if c == nil || reflect.ValueOf(c).Kind() == reflect.Pointer && reflect.ValueOf(c).IsNil() {
				return nil, errorf("%s: cells[%d] is nil", fn, i)
			}
		}
		return append([]Cell(nil), list...), nil
	}
	v := reflect.ValueOf(cells)
	if v.Kind() != reflect.Slice {
		return nil, errorf("%s: cells is a %T; want a slice of cells ([]rnn.Cell, []*rnn.BasicLSTMCell, ...)", fn, cells)
	}
	list := make([]Cell, v.Len())
	for i := range list {
		e := v.Index(i)
		c, ok := e.Interface().(Cell)
		if !ok {
			return nil, errorf("%s: cells[%d] is a %s, which is not an rnn.Cell", fn, i, e.Type())
		}
		list[i] = c
	}
	return cellList(fn, list)
}

// Cells returns the stacked cells, layer 0 first.
func (m *MultiRNNCell) Cells() []Cell { return append([]Cell(nil), m.cells...) }

// StateSize returns the concatenation of the layers' state sizes.
func (m *MultiRNNCell) StateSize() []int {
	if m.err != nil {
		return []int{0}
	}
	var s []int
	for _, c := range m.cells {
		s = append(s, c.StateSize()...)
	}
	return s
}

// StateKinds returns the concatenation of the layers' state kinds.
func (m *MultiRNNCell) StateKinds() []StateKind {
	var k []StateKind
	for _, c := range m.cells {
		k = append(k, StateKinds(c)...)
	}
	return k
}

// OutputSize returns the last layer's output size.
func (m *MultiRNNCell) OutputSize() int {
	if m.err != nil {
		return 0
	}
	return m.cells[len(m.cells)-1].OutputSize()
}

// ZeroState returns the layers' zero states, concatenated.
func (m *MultiRNNCell) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	if m.err != nil {
		return errState(m.err, 1)
	}
	var s []*tf.Tensor
	for _, c := range m.cells {
		s = append(s, c.ZeroState(batchSize, dtype)...)
	}
	return s
}

// layerRange returns where layer l's tensors are in the flat state.
func (m *MultiRNNCell) layerRange(l int) (lo, hi int) {
	for i, c := range m.cells {
		n := len(c.StateSize())
		if i == l {
			return lo, lo + n
		}
		lo += n
	}
	return lo, lo
}

// LayerState returns layer l's part of a state of the stack, such as the
// final state of a loop; l may be negative, counting from the top as
// Python's index: the notebook's states[-1][1] (the top LSTM's h) is
// multiCell.LayerState(states, -1)[1]. A bad layer or state gives one
// tensor carrying the error.
func (m *MultiRNNCell) LayerState(state []*tf.Tensor, l int) []*tf.Tensor {
	if m.err != nil {
		return errState(m.err, 1)
	}
	n := len(m.cells)
	if l < 0 {
		l += n
	}
	if l < 0 || l >= n {
		return errState(errorf("rnn.MultiRNNCell.LayerState: layer %d is outside the stack's %d layers", l, n), 1)
	}
	if len(state) != len(m.StateSize()) {
		return errState(errorf("rnn.MultiRNNCell.LayerState: the state has %d tensors, the stack's has %d", len(state), len(m.StateSize())), 1)
	}
	lo, hi := m.layerRange(l)
	return append([]*tf.Tensor(nil), state[lo:hi]...)
}

// Call runs the layers in turn; see MultiRNNCell.
func (m *MultiRNNCell) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	sizes := m.StateSize()
	if m.err != nil {
		return fail(m.err, 1)
	}
	if err := checkStep("rnn.MultiRNNCell", inputs, state, sizes); err != nil {
		return fail(err, len(sizes))
	}
	if m.scope == "" {
		m.scope = uniqueScope("multi_rnn_cell")
	}
	defer tf.VariableScope(m.scope, tf.ReuseInherit)()
	cur := inputs
	var newState []*tf.Tensor
	for l, c := range m.cells {
		lo, hi := m.layerRange(l)
		closeLayer := tf.VariableScope("cell_"+strconv.Itoa(l), tf.ReuseInherit)
		out, ns := c.Call(cur, state[lo:hi])
		closeLayer()
		if out == nil {
			return fail(errorf("rnn.MultiRNNCell: layer %d returned a nil output", l), len(sizes))
		}
		if out.Err() != nil {
			return fail(out.Err(), len(sizes))
		}
		if len(ns) != hi-lo {
			return fail(errorf("rnn.MultiRNNCell: layer %d returned %d state tensors, its StateSize has %d", l, len(ns), hi-lo), len(sizes))
		}
		cur = out
		newState = append(newState, ns...)
	}
	return cur, newState
}
