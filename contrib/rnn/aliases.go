package rnn

import (
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The names of tf.contrib.rnn, as TF 1.x exports them: the cells and the
// options live in package rnncell (tf.nn.rnn_cell), the loops in package nn
// (tf.nn.static_rnn, tf.nn.dynamic_rnn). The types below are aliases, so a
// rnn.BasicRNNCell is a rnncell.BasicRNNCell and the two spellings mix
// freely.

// Cell is a recurrent cell (TF's RNNCell); see rnncell.Cell.
type Cell = rnncell.Cell

// BatchDim names the batch size of a tensor for ZeroState; see
// rnncell.BatchDim.
type BatchDim = rnncell.BatchDim

// ActivationFunc is the type of a cell's activation function; see
// rnncell.ActivationFunc.
type ActivationFunc = rnncell.ActivationFunc

// Option is a keyword argument of a cell constructor or a loop; see
// rnncell.Option.
type Option = rnncell.Option

// Options holds parsed Options; see rnncell.Options.
type Options = rnncell.Options

// BasicRNNCell is tf.contrib.rnn.BasicRNNCell; see rnncell.BasicRNNCell.
type BasicRNNCell = rnncell.BasicRNNCell

// OutputProjectionWrapper is tf.contrib.rnn.OutputProjectionWrapper; see
// rnncell.OutputProjectionWrapper.
type OutputProjectionWrapper = rnncell.OutputProjectionWrapper

// BasicLSTMCell is tf.contrib.rnn.BasicLSTMCell; see rnncell.BasicLSTMCell.
type BasicLSTMCell = rnncell.BasicLSTMCell

// LSTMCell is tf.contrib.rnn.LSTMCell; see rnncell.LSTMCell.
type LSTMCell = rnncell.LSTMCell

// GRUCell is tf.contrib.rnn.GRUCell; see rnncell.GRUCell.
type GRUCell = rnncell.GRUCell

// MultiRNNCell is tf.contrib.rnn.MultiRNNCell; see rnncell.MultiRNNCell.
type MultiRNNCell = rnncell.MultiRNNCell

// DropoutWrapper is tf.contrib.rnn.DropoutWrapper; see
// rnncell.DropoutWrapper.
type DropoutWrapper = rnncell.DropoutWrapper

// ResidualWrapper is tf.contrib.rnn.ResidualWrapper; see
// rnncell.ResidualWrapper.
type ResidualWrapper = rnncell.ResidualWrapper

// DeviceWrapper is tf.contrib.rnn.DeviceWrapper; see rnncell.DeviceWrapper.
type DeviceWrapper = rnncell.DeviceWrapper

// LSTMStateTuple is tf.contrib.rnn.LSTMStateTuple; see
// rnncell.LSTMStateTuple.
type LSTMStateTuple = rnncell.LSTMStateTuple

// StateKind says what a state tensor is; see rnncell.StateKind.
type StateKind = rnncell.StateKind

// The kinds of state tensors; see rnncell.StateKind.
const (
	StatePlain = rnncell.StatePlain
	StateLSTMC = rnncell.StateLSTMC
	StateLSTMH = rnncell.StateLSTMH
)

// NewBasicLSTMCell returns a BasicLSTMCell of numUnits units
// (tf.contrib.rnn.BasicLSTMCell(num_units)); see rnncell.NewBasicLSTMCell.
func NewBasicLSTMCell(numUnits int, opts ...Option) *BasicLSTMCell {
	return rnncell.NewBasicLSTMCell(numUnits, opts...)
}

// NewLSTMCell returns an LSTMCell of numUnits units
// (tf.contrib.rnn.LSTMCell(num_units)); see rnncell.NewLSTMCell.
func NewLSTMCell(numUnits int, opts ...Option) *LSTMCell {
	return rnncell.NewLSTMCell(numUnits, opts...)
}

// NewGRUCell returns a GRUCell of numUnits units
// (tf.contrib.rnn.GRUCell(num_units)); see rnncell.NewGRUCell.
func NewGRUCell(numUnits int, opts ...Option) *GRUCell {
	return rnncell.NewGRUCell(numUnits, opts...)
}

// NewMultiRNNCell stacks cells (tf.contrib.rnn.MultiRNNCell(cells)); see
// rnncell.NewMultiRNNCell.
func NewMultiRNNCell(cells any, opts ...Option) *MultiRNNCell {
	return rnncell.NewMultiRNNCell(cells, opts...)
}

// NewDropoutWrapper wraps cell with dropout
// (tf.contrib.rnn.DropoutWrapper(cell, ...)); see rnncell.NewDropoutWrapper.
func NewDropoutWrapper(cell Cell, opts ...Option) *DropoutWrapper {
	return rnncell.NewDropoutWrapper(cell, opts...)
}

// NewResidualWrapper wraps cell with a residual connection
// (tf.contrib.rnn.ResidualWrapper(cell)); see rnncell.NewResidualWrapper.
func NewResidualWrapper(cell Cell, opts ...Option) *ResidualWrapper {
	return rnncell.NewResidualWrapper(cell, opts...)
}

// NewDeviceWrapper wraps cell for a device
// (tf.contrib.rnn.DeviceWrapper(cell, device)); see rnncell.NewDeviceWrapper.
func NewDeviceWrapper(cell Cell, device string) *DeviceWrapper {
	return rnncell.NewDeviceWrapper(cell, device)
}

// NewLSTMStateTuple returns the LSTMStateTuple of an LSTM's flat state; see
// rnncell.NewLSTMStateTuple.
func NewLSTMStateTuple(state []*tf.Tensor) LSTMStateTuple { return rnncell.NewLSTMStateTuple(state) }

// StateKinds returns the kinds of cell's state tensors; see
// rnncell.StateKinds.
func StateKinds(cell Cell) []StateKind { return rnncell.StateKinds(cell) }

// NewBasicRNNCell returns a BasicRNNCell of numUnits units
// (tf.contrib.rnn.BasicRNNCell(num_units)); see rnncell.NewBasicRNNCell.
func NewBasicRNNCell(numUnits int, opts ...Option) *BasicRNNCell {
	return rnncell.NewBasicRNNCell(numUnits, opts...)
}

// NewOutputProjectionWrapper wraps cell with a projection to outputSize
// outputs; see rnncell.NewOutputProjectionWrapper.
func NewOutputProjectionWrapper(cell Cell, outputSize int, opts ...Option) *OutputProjectionWrapper {
	return rnncell.NewOutputProjectionWrapper(cell, outputSize, opts...)
}

// StaticRNN unrolls cell over a list of time steps
// (tf.contrib.rnn.static_rnn); see nn.StaticRNN.
func StaticRNN(cell Cell, inputs []*tf.Tensor, opts ...Option) (outputs []*tf.Tensor, state []*tf.Tensor) {
	return nn.StaticRNN(cell, inputs, opts...)
}

// StaticBidirectionalRNN unrolls a forward and a backward RNN over a list
// of time steps (tf.contrib.rnn.static_bidirectional_rnn); see
// nn.StaticBidirectionalRNN.
func StaticBidirectionalRNN(cellFw, cellBw Cell, inputs []*tf.Tensor, opts ...Option) (outputs []*tf.Tensor, stateFw, stateBw []*tf.Tensor) {
	return nn.StaticBidirectionalRNN(cellFw, cellBw, inputs, opts...)
}

// ZeroState returns zeros for each of cell's state tensors; see
// rnncell.ZeroState.
func ZeroState(cell Cell, batchSize any, dtype tf.DType) []*tf.Tensor {
	return rnncell.ZeroState(cell, batchSize, dtype)
}

// Zeros returns zeros of shape [batch, units]; see rnncell.Zeros.
func Zeros(batchSize any, units int, dtype tf.DType) *tf.Tensor {
	return rnncell.Zeros(batchSize, units, dtype)
}

// ParseOptions applies opts for function fn; see rnncell.ParseOptions.
func ParseOptions(fn string, opts []Option, allowed ...string) (*Options, error) {
	return rnncell.ParseOptions(fn, opts, allowed...)
}

// Activation sets a cell's activation function (activation=); see
// rnncell.Activation.
func Activation(fn ActivationFunc) Option { return rnncell.Activation(fn) }

// DType sets the dtype of a loop's initial state (dtype=); see
// rnncell.DType.
func DType(d tf.DType) Option { return rnncell.DType(d) }

// InitialState gives a loop's initial state (initial_state=); see
// rnncell.InitialState.
func InitialState(state ...*tf.Tensor) Option { return rnncell.InitialState(state...) }

// SequenceLength gives each sequence's length (sequence_length=); see
// rnncell.SequenceLength.
func SequenceLength(lengths *tf.Tensor) Option { return rnncell.SequenceLength(lengths) }

// TimeMajor says a loop's inputs are [time, batch, depth] (time_major=);
// see rnncell.TimeMajor.
func TimeMajor(t bool) Option { return rnncell.TimeMajor(t) }

// SwapMemory is nn.DynamicRNN's swap_memory= (accepted, no effect on a
// CPU); see rnncell.SwapMemory.
func SwapMemory(s bool) Option { return rnncell.SwapMemory(s) }

// Scope names a loop's variable scope (scope=); see rnncell.Scope.
func Scope(name string) Option { return rnncell.Scope(name) }

// InitialStateFw gives a bidirectional RNN's forward initial state
// (initial_state_fw=); see rnncell.InitialStateFw.
func InitialStateFw(state ...*tf.Tensor) Option { return rnncell.InitialStateFw(state...) }

// InitialStateBw gives a bidirectional RNN's backward initial state
// (initial_state_bw=); see rnncell.InitialStateBw.
func InitialStateBw(state ...*tf.Tensor) Option { return rnncell.InitialStateBw(state...) }

// InitialStatesFw gives a stacked bidirectional RNN's forward initial
// states, one per layer (initial_states_fw=); see rnncell.InitialStatesFw.
func InitialStatesFw(states ...[]*tf.Tensor) Option { return rnncell.InitialStatesFw(states...) }

// InitialStatesBw gives a stacked bidirectional RNN's backward initial
// states, one per layer (initial_states_bw=); see rnncell.InitialStatesBw.
func InitialStatesBw(states ...[]*tf.Tensor) Option { return rnncell.InitialStatesBw(states...) }

// Name names a cell's own variable scope (name=); see rnncell.Name.
func Name(name string) Option { return rnncell.Name(name) }

// ForgetBias is an LSTM's forget_bias=; see rnncell.ForgetBias.
func ForgetBias(b float64) Option { return rnncell.ForgetBias(b) }

// StateIsTuple is an LSTM's state_is_tuple=; see rnncell.StateIsTuple.
func StateIsTuple(t bool) Option { return rnncell.StateIsTuple(t) }

// UsePeepholes is LSTMCell's use_peepholes=; see rnncell.UsePeepholes.
func UsePeepholes(u bool) Option { return rnncell.UsePeepholes(u) }

// CellClip is LSTMCell's cell_clip=; see rnncell.CellClip.
func CellClip(v float64) Option { return rnncell.CellClip(v) }

// NumProj is LSTMCell's num_proj=; see rnncell.NumProj.
func NumProj(n int) Option { return rnncell.NumProj(n) }

// ProjClip is LSTMCell's proj_clip=; see rnncell.ProjClip.
func ProjClip(v float64) Option { return rnncell.ProjClip(v) }

// Initializer is LSTMCell's initializer=; see rnncell.Initializer.
func Initializer(init tf.Initializer) Option { return rnncell.Initializer(init) }

// KernelInitializer is GRUCell's kernel_initializer=; see
// rnncell.KernelInitializer.
func KernelInitializer(init tf.Initializer) Option { return rnncell.KernelInitializer(init) }

// BiasInitializer is GRUCell's bias_initializer=; see
// rnncell.BiasInitializer.
func BiasInitializer(init tf.Initializer) Option { return rnncell.BiasInitializer(init) }

// InputKeepProb is DropoutWrapper's input_keep_prob=; see
// rnncell.InputKeepProb.
func InputKeepProb(p any) Option { return rnncell.InputKeepProb(p) }

// OutputKeepProb is DropoutWrapper's output_keep_prob=; see
// rnncell.OutputKeepProb.
func OutputKeepProb(p any) Option { return rnncell.OutputKeepProb(p) }

// StateKeepProb is DropoutWrapper's state_keep_prob=; see
// rnncell.StateKeepProb.
func StateKeepProb(p any) Option { return rnncell.StateKeepProb(p) }

// VariationalRecurrent is DropoutWrapper's variational_recurrent=; see
// rnncell.VariationalRecurrent.
func VariationalRecurrent(v bool) Option { return rnncell.VariationalRecurrent(v) }

// InputSize is DropoutWrapper's input_size=; see rnncell.InputSize.
func InputSize(n int) Option { return rnncell.InputSize(n) }

// Seed is DropoutWrapper's seed=; see rnncell.Seed.
func Seed(s int64) Option { return rnncell.Seed(s) }

// DropoutStateFilter is DropoutWrapper's dropout_state_filter_visitor=; see
// rnncell.DropoutStateFilter.
func DropoutStateFilter(fn func(index int, kind StateKind) bool) Option {
	return rnncell.DropoutStateFilter(fn)
}

// ResidualFn is ResidualWrapper's residual_fn=; see rnncell.ResidualFn.
func ResidualFn(fn func(inputs, outputs *tf.Tensor) *tf.Tensor) Option {
	return rnncell.ResidualFn(fn)
}

// EmbeddingWrapper is tf.contrib.rnn.EmbeddingWrapper; see
// rnncell.EmbeddingWrapper.
type EmbeddingWrapper = rnncell.EmbeddingWrapper

// InputProjectionWrapper is tf.contrib.rnn.InputProjectionWrapper; see
// rnncell.InputProjectionWrapper.
type InputProjectionWrapper = rnncell.InputProjectionWrapper

// NewEmbeddingWrapper wraps cell with an embedding of numSymbols symbols of
// size embeddingSize; see rnncell.NewEmbeddingWrapper.
func NewEmbeddingWrapper(cell Cell, numSymbols, embeddingSize int) *EmbeddingWrapper {
	return rnncell.NewEmbeddingWrapper(cell, numSymbols, embeddingSize)
}

// NewInputProjectionWrapper wraps cell with a projection of its inputs to
// numProj units; see rnncell.NewInputProjectionWrapper.
func NewInputProjectionWrapper(cell Cell, numProj int, opts ...Option) *InputProjectionWrapper {
	return rnncell.NewInputProjectionWrapper(cell, numProj, opts...)
}

// Copy returns a copy of an unbuilt cell that makes its own variables; see
// rnncell.Copy.
func Copy(cell Cell) (Cell, error) { return rnncell.Copy(cell) }

// LSTMBlockCell is tf.contrib.rnn.LSTMBlockCell; see rnncell.LSTMBlockCell.
type LSTMBlockCell = rnncell.LSTMBlockCell

// GRUBlockCell is tf.contrib.rnn.GRUBlockCell; see rnncell.GRUBlockCell.
type GRUBlockCell = rnncell.GRUBlockCell

// GRUBlockCellV2 is tf.contrib.rnn.GRUBlockCellV2; see
// rnncell.GRUBlockCellV2.
type GRUBlockCellV2 = rnncell.GRUBlockCellV2

// NewLSTMBlockCell returns an LSTMBlockCell of numUnits units
// (tf.contrib.rnn.LSTMBlockCell(num_units)); see rnncell.NewLSTMBlockCell.
func NewLSTMBlockCell(numUnits int, opts ...Option) *LSTMBlockCell {
	return rnncell.NewLSTMBlockCell(numUnits, opts...)
}

// NewGRUBlockCell returns a GRUBlockCell of numUnits units
// (tf.contrib.rnn.GRUBlockCell(num_units)); see rnncell.NewGRUBlockCell.
func NewGRUBlockCell(numUnits int, opts ...Option) *GRUBlockCell {
	return rnncell.NewGRUBlockCell(numUnits, opts...)
}

// NewGRUBlockCellV2 returns a GRUBlockCellV2 of numUnits units
// (tf.contrib.rnn.GRUBlockCellV2(num_units)); see
// rnncell.NewGRUBlockCellV2.
func NewGRUBlockCellV2(numUnits int, opts ...Option) *GRUBlockCellV2 {
	return rnncell.NewGRUBlockCellV2(numUnits, opts...)
}

// UsePeephole is LSTMBlockCell's use_peephole=; see rnncell.UsePeephole.
func UsePeephole(u bool) Option { return rnncell.UsePeephole(u) }

// LayerNormBasicLSTMCell is tf.contrib.rnn.LayerNormBasicLSTMCell; see
// rnncell.LayerNormBasicLSTMCell.
type LayerNormBasicLSTMCell = rnncell.LayerNormBasicLSTMCell

// CoupledInputForgetGateLSTMCell is
// tf.contrib.rnn.CoupledInputForgetGateLSTMCell; see
// rnncell.CoupledInputForgetGateLSTMCell.
type CoupledInputForgetGateLSTMCell = rnncell.CoupledInputForgetGateLSTMCell

// UGRNNCell is tf.contrib.rnn.UGRNNCell; see rnncell.UGRNNCell.
type UGRNNCell = rnncell.UGRNNCell

// IntersectionRNNCell is tf.contrib.rnn.IntersectionRNNCell; see
// rnncell.IntersectionRNNCell.
type IntersectionRNNCell = rnncell.IntersectionRNNCell

// NASCell is tf.contrib.rnn.NASCell; see rnncell.NASCell.
type NASCell = rnncell.NASCell

// HighwayWrapper is tf.contrib.rnn.HighwayWrapper; see
// rnncell.HighwayWrapper.
type HighwayWrapper = rnncell.HighwayWrapper

// AttentionCellWrapper is tf.contrib.rnn.AttentionCellWrapper; see
// rnncell.AttentionCellWrapper.
type AttentionCellWrapper = rnncell.AttentionCellWrapper

// NewLayerNormBasicLSTMCell returns a LayerNormBasicLSTMCell of numUnits
// units (tf.contrib.rnn.LayerNormBasicLSTMCell(num_units)); see
// rnncell.NewLayerNormBasicLSTMCell.
func NewLayerNormBasicLSTMCell(numUnits int, opts ...Option) *LayerNormBasicLSTMCell {
	return rnncell.NewLayerNormBasicLSTMCell(numUnits, opts...)
}

// NewCoupledInputForgetGateLSTMCell returns a CoupledInputForgetGateLSTMCell
// of numUnits units (tf.contrib.rnn.CoupledInputForgetGateLSTMCell(num_units));
// see rnncell.NewCoupledInputForgetGateLSTMCell.
func NewCoupledInputForgetGateLSTMCell(numUnits int, opts ...Option) *CoupledInputForgetGateLSTMCell {
	return rnncell.NewCoupledInputForgetGateLSTMCell(numUnits, opts...)
}

// NewUGRNNCell returns a UGRNNCell of numUnits units
// (tf.contrib.rnn.UGRNNCell(num_units)); see rnncell.NewUGRNNCell.
func NewUGRNNCell(numUnits int, opts ...Option) *UGRNNCell {
	return rnncell.NewUGRNNCell(numUnits, opts...)
}

// NewIntersectionRNNCell returns an IntersectionRNNCell of numUnits units
// (tf.contrib.rnn.IntersectionRNNCell(num_units)); see
// rnncell.NewIntersectionRNNCell.
func NewIntersectionRNNCell(numUnits int, opts ...Option) *IntersectionRNNCell {
	return rnncell.NewIntersectionRNNCell(numUnits, opts...)
}

// NewNASCell returns a NASCell of numUnits units
// (tf.contrib.rnn.NASCell(num_units)); see rnncell.NewNASCell.
func NewNASCell(numUnits int, opts ...Option) *NASCell { return rnncell.NewNASCell(numUnits, opts...) }

// NewHighwayWrapper wraps cell with a highway connection
// (tf.contrib.rnn.HighwayWrapper(cell)); see rnncell.NewHighwayWrapper.
func NewHighwayWrapper(cell Cell, opts ...Option) *HighwayWrapper {
	return rnncell.NewHighwayWrapper(cell, opts...)
}

// NewAttentionCellWrapper wraps cell with attention over its last
// attnLength outputs (tf.contrib.rnn.AttentionCellWrapper(cell,
// attn_length)); see rnncell.NewAttentionCellWrapper.
func NewAttentionCellWrapper(cell Cell, attnLength int, opts ...Option) *AttentionCellWrapper {
	return rnncell.NewAttentionCellWrapper(cell, attnLength, opts...)
}

// LayerNorm is layer_norm=; see rnncell.LayerNorm.
func LayerNorm(on bool) Option { return rnncell.LayerNorm(on) }

// NormGain is norm_gain=; see rnncell.NormGain.
func NormGain(g float64) Option { return rnncell.NormGain(g) }

// NormShift is norm_shift=; see rnncell.NormShift.
func NormShift(b float64) Option { return rnncell.NormShift(b) }

// DropoutKeepProb is LayerNormBasicLSTMCell's dropout_keep_prob=; see
// rnncell.DropoutKeepProb.
func DropoutKeepProb(p any) Option { return rnncell.DropoutKeepProb(p) }

// DropoutProbSeed is LayerNormBasicLSTMCell's dropout_prob_seed=; see
// rnncell.DropoutProbSeed.
func DropoutProbSeed(s int64) Option { return rnncell.DropoutProbSeed(s) }

// NumUnitShards is num_unit_shards=; see rnncell.NumUnitShards.
func NumUnitShards(n int) Option { return rnncell.NumUnitShards(n) }

// NumProjShards is num_proj_shards=; see rnncell.NumProjShards.
func NumProjShards(n int) Option { return rnncell.NumProjShards(n) }

// NumInProj is IntersectionRNNCell's num_in_proj=; see rnncell.NumInProj.
func NumInProj(n int) Option { return rnncell.NumInProj(n) }

// YActivation is IntersectionRNNCell's y_activation=; see
// rnncell.YActivation.
func YActivation(fn ActivationFunc) Option { return rnncell.YActivation(fn) }

// UseBias is NASCell's use_bias=; see rnncell.UseBias.
func UseBias(b bool) Option { return rnncell.UseBias(b) }

// UseBiases is NASCell's use_biases= (earlier TF 1.x); see
// rnncell.UseBiases.
func UseBiases(b bool) Option { return rnncell.UseBiases(b) }

// CoupleCarryTransformGates is HighwayWrapper's
// couple_carry_transform_gates=; see rnncell.CoupleCarryTransformGates.
func CoupleCarryTransformGates(c bool) Option { return rnncell.CoupleCarryTransformGates(c) }

// CarryBiasInit is HighwayWrapper's carry_bias_init=; see
// rnncell.CarryBiasInit.
func CarryBiasInit(b float64) Option { return rnncell.CarryBiasInit(b) }

// AttnSize is AttentionCellWrapper's attn_size=; see rnncell.AttnSize.
func AttnSize(n int) Option { return rnncell.AttnSize(n) }

// AttnVecSize is AttentionCellWrapper's attn_vec_size=; see
// rnncell.AttnVecSize.
func AttnVecSize(n int) Option { return rnncell.AttnVecSize(n) }
