package seq2seq

import (
	"math"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// AttentionMechanism scores a query against a memory (TF's
// AttentionMechanism): BahdanauAttention and LuongAttention are two.
type AttentionMechanism interface {
	// Values returns the memory [batch, memory time, depth], zeroed past
	// MemorySequenceLength.
	Values() *tf.Tensor
	// Keys returns the processed memory, memory_layer(values) [batch,
	// memory time, units].
	Keys() *tf.Tensor
	// AlignmentsSize returns the memory's time dimension.
	AlignmentsSize() int
	// Align returns the alignments [batch, memory time] of query [batch,
	// query depth] (mechanism(query, previous_alignments)).
	Align(query, previousAlignments *tf.Tensor) *tf.Tensor
	// Err returns the error the mechanism was built with, if any.
	Err() error
}

// baseAttention is TF's _BaseAttentionMechanism: the memory, masked, and
// its keys.
type baseAttention struct {
	err         error
	numUnits    int
	values      *tf.Tensor
	keys        *tf.Tensor
	mask        *tf.Tensor // bool [batch, memory time], nil without lengths
	scoreMask   float64
	queryLayer  *layers.DenseLayer
	memoryLayer *layers.DenseLayer
	probFn      func(score *tf.Tensor) *tf.Tensor
}

// Values returns the memory, zeroed past MemorySequenceLength.
func (m *baseAttention) Values() *tf.Tensor { return m.values }

// Keys returns memory_layer(values).
func (m *baseAttention) Keys() *tf.Tensor { return m.keys }

// Err returns the error the mechanism was built with, if any.
func (m *baseAttention) Err() error { return m.err }

// AlignmentsSize returns the memory's time dimension (0 after an error).
func (m *baseAttention) AlignmentsSize() int {
	if m.err != nil {
		return 0
	}
	return m.values.Shape()[1]
}

// init checks and prepares memory and makes the memory layer.
func (m *baseAttention) init(fn string, numUnits int, memory *tf.Tensor, o *options, name string) {
	m.numUnits, m.scoreMask, m.probFn = numUnits, o.scoreMask, o.probabilityFn
	if o.given["probability_fn"] && o.probabilityFn == nil {
		m.err = errors.Errorf("%s: probability_fn is nil", fn)
		return
	}
	switch {
	case numUnits <= 0:
		m.err = errors.Errorf("%s: num_units must be positive, got %d", fn, numUnits)
	case memory == nil:
		m.err = errors.Errorf("%s: memory is a nil *tf.Tensor", fn)
	case memory.Err() != nil:
		m.err = memory.Err()
	case len(memory.Shape()) != 3 || memory.Shape()[1] < 1 || memory.Shape()[2] < 1:
		m.err = errors.Errorf("%s: memory %q has shape %v; want [batch, max_time, depth] with max_time and depth known when the graph is built", fn, memory.Name(), memory.Shape())
	case !memory.DType().IsFloating():
		m.err = errors.Errorf("%s: memory %q has dtype %s, want float32 or float64", fn, memory.Name(), memory.DType())
	}
	if m.err != nil {
		return
	}
	defer tf.NameScope(name)()
	m.values = memory
	if l := o.memSeqLen; l != nil {
		switch {
		case l.Err() != nil:
			m.err = l.Err()
		case l.DType() != tf.Int32 || len(l.Shape()) != 1:
			m.err = errors.Errorf("%s: memory_sequence_length %q is %s %v; want an int32 vector [batch]", fn, l.Name(), l.DType(), l.Shape())
		}
		if m.err != nil {
			return
		}
		T := memory.Shape()[1]
		steps := make([]int32, T)
		for i := range steps {
			steps[i] = int32(i)
		}
		// sequence_mask(lengths, max_time): [batch, max_time]
		m.mask = tf.Less(tf.Constant([][]int32{steps}, tf.Int32), tf.ExpandDims(l, 1))
		m.values = tf.Mul(memory, tf.ExpandDims(tf.Cast(m.mask, memory.DType()), 2))
	}
	m.memoryLayer = layers.NewDense(numUnits, layers.Name("memory_layer"), layers.UseBias(false))
	m.keys = m.memoryLayer.Apply(m.values)
	if m.keys.Err() != nil {
		m.err = m.keys.Err()
	}
}

// probabilities masks score past the memory's lengths and takes its
// softmax (or ProbabilityFn).
func (m *baseAttention) probabilities(score *tf.Tensor) *tf.Tensor {
	if m.mask != nil {
		score = tf.Where(m.mask, score, tf.Mul(tf.OnesLike(score), m.scoreMask))
	}
	if m.probFn != nil {
		a := m.probFn(score)
		if a == nil {
			return tfimpl.ErrTensor(errors.Errorf("%s: the probability function returned nil", at("seq2seq.AttentionMechanism")))
		}
		return a
	}
	return nn.Softmax(score)
}

func (m *baseAttention) checkQuery(query *tf.Tensor) error {
	if m.err != nil {
		return m.err
	}
	if query == nil {
		return errors.Errorf("%s: the query is a nil *tf.Tensor", at("seq2seq.AttentionMechanism"))
	}
	return query.Err()
}

// BahdanauAttention is TF's additive attention
// (tf.contrib.seq2seq.BahdanauAttention): with keys = memory · memory_layer
// and q = query · query_layer,
//
//	score[b, t] = sum_u v[u] · tanh(keys[b, t, u] + q[b, u])
//
// or, normalized, with normed_v = g · v / ||v||,
//
//	score[b, t] = sum_u normed_v[u] · tanh(keys[b, t, u] + q[b, u] + b[u])
//
// and alignments = softmax(score) (scores past MemorySequenceLength set to
// ScoreMaskValue first). Variables: "memory_layer/kernel" [depth, units]
// where it is constructed; "bahdanau_attention/query_layer/kernel" [query
// depth, units], "bahdanau_attention/attention_v" [units] (glorot-uniform),
// and normalized "attention_g" (scalar, sqrt(1/units)) and "attention_b"
// [units] (zeros), under the scope of the first Align.
type BahdanauAttention struct {
	baseAttention
	normalize bool
	v, g, b   *tf.Variable
}

// NewBahdanauAttention returns a BahdanauAttention of numUnits units over
// memory [batch, max_time, depth] (BahdanauAttention(num_units, memory)).
// It makes the memory layer and computes the keys at once.
//
// Options: MemorySequenceLength, Normalize, ProbabilityFn, ScoreMaskValue,
// Name (the name scope of the memory's preparation, default
// "BahdanauAttention").
func NewBahdanauAttention(numUnits int, memory *tf.Tensor, opts ...Option) *BahdanauAttention {
	fn := at("seq2seq.NewBahdanauAttention")
	m := &BahdanauAttention{}
	o, err := parse(fn, opts, "memory_sequence_length", "normalize", "probability_fn", "score_mask_value", "name")
	if err != nil {
		m.err = err
		return m
	}
	m.normalize = o.normalize
	name := o.name
	if name == "" {
		name = "BahdanauAttention"
	}
	m.init(fn, numUnits, memory, o, name)
	if m.err == nil {
		m.queryLayer = layers.NewDense(numUnits, layers.Name("query_layer"), layers.UseBias(false))
	}
	return m
}

// Align returns softmax(score) of query [batch, query depth]; see
// BahdanauAttention.
func (m *BahdanauAttention) Align(query, previousAlignments *tf.Tensor) *tf.Tensor {
	if err := m.checkQuery(query); err != nil {
		return tfimpl.ErrTensor(err)
	}
	closeScope := tf.VariableScope("bahdanau_attention", tf.ReuseInherit)
	pq := m.queryLayer.Apply(query)
	if pq.Err() != nil {
		closeScope()
		return pq
	}
	dt := pq.DType()
	if m.v == nil {
		m.v = tf.GetVariable("attention_v", tf.Shape{m.numUnits}, tf.WithDType(dt))
		if m.normalize {
			m.g = tf.GetVariable("attention_g", tf.Shape{}, tf.WithDType(dt), tf.WithInitializer(tf.ConstantInitializer(math.Sqrt(1/float64(m.numUnits)))))
			m.b = tf.GetVariable("attention_b", tf.Shape{m.numUnits}, tf.WithDType(dt), tf.WithInitializer(tf.ZerosInitializer()))
		}
		for _, v := range []*tf.Variable{m.v, m.g, m.b} {
			if v != nil && v.Err() != nil {
				err := v.Err()
				m.v, m.g, m.b = nil, nil, nil
				closeScope()
				return tfimpl.ErrTensor(err)
			}
		}
	}
	sum := tf.Add(m.keys, tf.ExpandDims(pq, 1))
	var v *tf.Tensor = m.v.Value()
	if m.normalize {
		sum = tf.Add(sum, m.b)
		v = tf.Div(tf.Mul(m.g, m.v), tf.Sqrt(tf.ReduceSum(tf.Square(m.v))))
	}
	score := tf.ReduceSum(tf.Mul(v, tf.Tanh(sum)), tf.Axis(2))
	closeScope()
	return m.probabilities(score)
}

// LuongAttention is TF's multiplicative attention
// (tf.contrib.seq2seq.LuongAttention): with keys = memory · memory_layer,
//
//	score[b, t] = sum_u query[b, u] · keys[b, t, u]      (times g if scaled)
//
// and alignments = softmax(score) (scores past MemorySequenceLength set to
// ScoreMaskValue first). The query's depth must be numUnits. Variables:
// "memory_layer/kernel" [depth, units] where it is constructed, and scaled
// "luong_attention/attention_g" (scalar, 1.0) under the scope of the first
// Align.
type LuongAttention struct {
	baseAttention
	scale bool
	g     *tf.Variable
}

// NewLuongAttention returns a LuongAttention of numUnits units over memory
// [batch, max_time, depth] (LuongAttention(num_units, memory)). It makes
// the memory layer and computes the keys at once.
//
// Options: MemorySequenceLength, Scale, ProbabilityFn, ScoreMaskValue, Name
// (default "LuongAttention").
func NewLuongAttention(numUnits int, memory *tf.Tensor, opts ...Option) *LuongAttention {
	fn := at("seq2seq.NewLuongAttention")
	m := &LuongAttention{}
	o, err := parse(fn, opts, "memory_sequence_length", "scale", "probability_fn", "score_mask_value", "name")
	if err != nil {
		m.err = err
		return m
	}
	m.scale = o.scale
	name := o.name
	if name == "" {
		name = "LuongAttention"
	}
	m.init(fn, numUnits, memory, o, name)
	return m
}

// Align returns softmax(score) of query [batch, units]; see LuongAttention.
func (m *LuongAttention) Align(query, previousAlignments *tf.Tensor) *tf.Tensor {
	if err := m.checkQuery(query); err != nil {
		return tfimpl.ErrTensor(err)
	}
	if s := query.Shape(); len(s) != 2 || s[1] != m.numUnits {
		return tfimpl.ErrTensor(errors.Errorf("%s: Incompatible or unknown inner dimensions between query and keys. Query (%q) has shape %v. Keys have units: %d. Perhaps you need to set num_units to the query's depth?", at("seq2seq.LuongAttention"), query.Name(), s, m.numUnits))
	}
	defer tf.VariableScope("luong_attention", tf.ReuseInherit)()
	score := tf.ReduceSum(tf.Mul(tf.ExpandDims(query, 1), m.keys), tf.Axis(2))
	if m.scale {
		if m.g == nil {
			g := tf.GetVariable("attention_g", tf.Shape{}, tf.WithDType(query.DType()), tf.WithInitializer(tf.ConstantInitializer(1)))
			if g.Err() != nil {
				return tfimpl.ErrTensor(g.Err())
			}
			m.g = g
		}
		score = tf.Mul(m.g, score)
	}
	return m.probabilities(score)
}

// AttentionWrapper wraps a cell with attention
// (tf.contrib.seq2seq.AttentionWrapper(cell, attention_mechanism)). Each
// step
//
//	cell_output, cell_state' = cell([inputs, attention], cell_state)
//	alignments = mechanism.Align(cell_output, alignments)
//	context    = sum_t alignments[b, t] · values[b, t, :]
//	attention  = attention_layer([cell_output, context])   (or context)
//
// and outputs the attention (OutputAttention, the default) or the cell
// output. Its state is flat: the cell's state, the attention [batch,
// attention size] and the alignments [batch, memory time] (see the package
// comment and AttentionWrapperState). The wrapped cell's variables and the
// attention layer's "attention_layer/kernel" [cell output + depth, size]
// are under "attention_wrapper" (Name).
type AttentionWrapper struct {
	err              error
	cell             rnncell.Cell
	mech             AttentionMechanism
	attnLayer        *layers.DenseLayer
	attnSize         int
	alignHistory     bool
	outputAttention  bool
	initialCellState []*tf.Tensor
	cellInputFn      func(inputs, attention *tf.Tensor) *tf.Tensor
	name, scope      string
}

// NewAttentionWrapper returns an AttentionWrapper of cell with mechanism.
// A bad argument is reported, with the line of this call, by the tensors
// built from the wrapper.
//
// Options: AttentionLayerSize, AlignmentHistory, OutputAttention (default
// true), InitialCellState, CellInputFn, Name (default "attention_wrapper").
func NewAttentionWrapper(cell rnncell.Cell, mechanism AttentionMechanism, opts ...Option) *AttentionWrapper {
	fn := at("seq2seq.NewAttentionWrapper")
	w := &AttentionWrapper{cell: cell, mech: mechanism, outputAttention: true}
	o, err := parse(fn, opts, "attention_layer_size", "alignment_history", "output_attention", "initial_cell_state", "cell_input_fn", "name")
	if err != nil {
		w.err = err
		return w
	}
	w.alignHistory, w.outputAttention, w.initialCellState, w.name = o.alignHistory, o.outputAttention, o.initialCellState, o.name
	w.cellInputFn = o.cellInputFn
	switch {
	case cell == nil:
		w.err = errors.Errorf("%s: cell is nil", fn)
	case mechanism == nil:
		w.err = errors.Errorf("%s: attention_mechanism is nil", fn)
	case mechanism.Err() != nil:
		w.err = mechanism.Err()
	case mechanism.Values() == nil || len(mechanism.Values().Shape()) != 3 || mechanism.Values().Shape()[1] < 1 || mechanism.Values().Shape()[2] < 1:
		w.err = errors.Errorf("%s: the mechanism's values must be [batch, max_time, depth] with max_time and depth known", fn)
	case o.given["cell_input_fn"] && o.cellInputFn == nil:
		w.err = errors.Errorf("%s: cell_input_fn is nil", fn)
	case o.given["attention_layer_size"] && o.attnLayerSize <= 0:
		w.err = errors.Errorf("%s: attention_layer_size must be positive, got %d", fn, o.attnLayerSize)
	case o.given["initial_cell_state"] && len(o.initialCellState) != len(cell.StateSize()):
		w.err = errors.Errorf("%s: initial_cell_state has %d tensors, the cell's state has %d", fn, len(o.initialCellState), len(cell.StateSize()))
	}
	if w.err != nil {
		return w
	}
	if o.given["attention_layer_size"] {
		w.attnSize = o.attnLayerSize
		w.attnLayer = layers.NewDense(o.attnLayerSize, layers.Name("attention_layer"), layers.UseBias(false))
	} else {
		w.attnSize = mechanism.Values().Shape()[2]
	}
	return w
}

// Err returns the error the wrapper was built with, if any.
func (w *AttentionWrapper) Err() error { return w.err }

// Cell returns the wrapped cell.
func (w *AttentionWrapper) Cell() rnncell.Cell { return w.cell }

// StateSize returns the cell's state sizes followed by the attention size
// and the memory's time dimension.
func (w *AttentionWrapper) StateSize() []int {
	if w.err != nil {
		return []int{0}
	}
	return append(append([]int(nil), w.cell.StateSize()...), w.attnSize, w.mech.AlignmentsSize())
}

// OutputSize returns the attention size, or the cell's output size without
// OutputAttention.
func (w *AttentionWrapper) OutputSize() int {
	if w.err != nil {
		return 0
	}
	if w.outputAttention {
		return w.attnSize
	}
	return w.cell.OutputSize()
}

// ZeroState returns the cell's zero state (or InitialCellState), zero
// attention and zero alignments.
func (w *AttentionWrapper) ZeroState(batchSize any, dtype tf.DType) []*tf.Tensor {
	if w.err != nil {
		return errState(w.err, 1)
	}
	defer tf.NameScope("AttentionWrapperZeroState")()
	cellState := w.initialCellState
	if cellState == nil {
		cellState = w.cell.ZeroState(batchSize, dtype)
	}
	return append(append([]*tf.Tensor(nil), cellState...),
		rnncell.Zeros(batchSize, w.attnSize, dtype), rnncell.Zeros(batchSize, w.mech.AlignmentsSize(), dtype))
}

// Call runs one step; see AttentionWrapper.
func (w *AttentionWrapper) Call(inputs *tf.Tensor, state []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	n := len(w.StateSize())
	if w.err != nil {
		return tfimpl.ErrTensor(w.err), errState(w.err, n)
	}
	k := len(w.cell.StateSize())
	if len(state) != k+2 {
		err := errors.Errorf("%s: the state has %d tensors, want %d (the cell's %d, the attention, the alignments)", at("seq2seq.AttentionWrapper"), len(state), k+2, k)
		return tfimpl.ErrTensor(err), errState(err, n)
	}
	if w.scope == "" {
		w.scope = w.name
		if w.scope == "" {
			w.scope = tf.UniqueVariableScope("attention_wrapper")
		}
	}
	defer tf.VariableScope(w.scope, tf.ReuseInherit)()
	var cellInputs *tf.Tensor
	if w.cellInputFn != nil {
		cellInputs = w.cellInputFn(inputs, state[k])
		if cellInputs == nil {
			err := errors.Errorf("%s: cell_input_fn returned nil", at("seq2seq.AttentionWrapper"))
			return tfimpl.ErrTensor(err), errState(err, n)
		}
	} else {
		cellInputs = tf.Concat([]*tf.Tensor{inputs, state[k]}, -1)
	}
	cellOutput, nextCellState := w.cell.Call(cellInputs, state[:k])
	alignments := w.mech.Align(cellOutput, state[k+1])
	context := tf.ReduceSum(tf.Mul(tf.ExpandDims(alignments, 2), w.mech.Values()), tf.Axis(1))
	attention := context
	if w.attnLayer != nil {
		attention = w.attnLayer.Apply(tf.Concat([]*tf.Tensor{cellOutput, context}, 1))
	}
	next := append(append([]*tf.Tensor(nil), nextCellState...), attention, alignments)
	if w.outputAttention {
		return attention, next
	}
	return cellOutput, next
}

// AttentionWrapperState names the parts of an AttentionWrapper's flat
// state (TF's AttentionWrapperState, without its time, which the decoder
// counts).
type AttentionWrapperState struct {
	CellState  []*tf.Tensor // cell_state
	Attention  *tf.Tensor   // attention [batch, attention size]
	Alignments *tf.Tensor   // alignments [batch, memory time]
	// AlignmentHistory is every step's alignments [time, batch, memory
	// time] in a final state of DynamicDecode with AlignmentHistory, else
	// nil (alignment_history.stack()).
	AlignmentHistory *tf.Tensor
}

// State names the parts of state, a state of the wrapper or a final state
// from DynamicDecode. A list of another length gives a state whose tensors
// carry the error.
func (w *AttentionWrapper) State(state []*tf.Tensor) AttentionWrapperState {
	if w.err != nil {
		e := tfimpl.ErrTensor(w.err)
		return AttentionWrapperState{CellState: errState(w.err, 1), Attention: e, Alignments: e, AlignmentHistory: e}
	}
	k := len(w.cell.StateSize())
	if len(state) != k+2 && !(w.alignHistory && len(state) == k+3) {
		err := errors.Errorf("%s: the state has %d tensors, want %d (the cell's %d, the attention, the alignments, and the history with AlignmentHistory)", at("seq2seq.AttentionWrapper.State"), len(state), k+2, k)
		e := tfimpl.ErrTensor(err)
		return AttentionWrapperState{CellState: errState(err, k), Attention: e, Alignments: e, AlignmentHistory: e}
	}
	s := AttentionWrapperState{CellState: state[:k:k], Attention: state[k], Alignments: state[k+1]}
	if len(state) == k+3 {
		s.AlignmentHistory = state[k+2]
	}
	return s
}

// Flat returns the state as the wrapper's flat list (without the history):
// s.CellState, s.Attention, s.Alignments. Replace CellState to start from
// an encoder's state (TF's zero_state(...).clone(cell_state=...)).
func (s AttentionWrapperState) Flat() []*tf.Tensor {
	return append(append([]*tf.Tensor(nil), s.CellState...), s.Attention, s.Alignments)
}
