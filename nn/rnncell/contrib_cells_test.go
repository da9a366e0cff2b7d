package rnncell_test

import (
	"github.com/gorgoflow/gorgoflow/internal/rnntest"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The cells of TF's contrib/rnn/python/ops/rnn_cell.py, checked by
// TestCellsMatchReference and TestCellsGradients as the others.
func init() {
	cellCases = append(cellCases,
		cellCase{
			name: "LayerNormBasicLSTMCell",
			cell: func() rnncell.Cell { return rnncell.NewLayerNormBasicLSTMCell(4) },
			vars: "rnn/layer_norm_basic_lstm_cell/kernel[7,16] " +
				"rnn/layer_norm_basic_lstm_cell/input/gamma[4] rnn/layer_norm_basic_lstm_cell/input/beta[4] " +
				"rnn/layer_norm_basic_lstm_cell/transform/gamma[4] rnn/layer_norm_basic_lstm_cell/transform/beta[4] " +
				"rnn/layer_norm_basic_lstm_cell/forget/gamma[4] rnn/layer_norm_basic_lstm_cell/forget/beta[4] " +
				"rnn/layer_norm_basic_lstm_cell/output/gamma[4] rnn/layer_norm_basic_lstm_cell/output/beta[4] " +
				"rnn/layer_norm_basic_lstm_cell/state/gamma[4] rnn/layer_norm_basic_lstm_cell/state/beta[4]",
			ref: func(w weights) refStep {
				return refLayerNormBasicLSTM(w, "rnn/layer_norm_basic_lstm_cell", 4, 1, true)
			},
		},
		cellCase{
			name: "LayerNormBasicLSTMCell layer_norm false, forget_bias 0.5, keep 1.0",
			cell: func() rnncell.Cell {
				return rnncell.NewLayerNormBasicLSTMCell(4, rnncell.LayerNorm(false), rnncell.ForgetBias(0.5), rnncell.DropoutKeepProb(1.0))
			},
			vars: "rnn/layer_norm_basic_lstm_cell/kernel[7,16] rnn/layer_norm_basic_lstm_cell/bias[16]",
			ref: func(w weights) refStep {
				return refLayerNormBasicLSTM(w, "rnn/layer_norm_basic_lstm_cell", 4, 0.5, false)
			},
		},
		cellCase{
			name: "CoupledInputForgetGateLSTMCell",
			cell: func() rnncell.Cell { return rnncell.NewCoupledInputForgetGateLSTMCell(4) },
			vars: "rnn/coupled_input_forget_gate_lstm_cell/W_0[7,12] rnn/coupled_input_forget_gate_lstm_cell/B[12]",
			ref: func(w weights) refStep {
				return refCIFG(w, "rnn/coupled_input_forget_gate_lstm_cell", cifgConf{n: 4, forgetBias: 1, wShards: 1})
			},
		},
		cellCase{
			name: "CoupledInputForgetGateLSTMCell peepholes, num_proj, proj_clip, shards, forget_bias 0.5",
			cell: func() rnncell.Cell {
				return rnncell.NewCoupledInputForgetGateLSTMCell(4, rnncell.UsePeepholes(true), rnncell.NumProj(2), rnncell.ProjClip(0.3),
					rnncell.NumUnitShards(2), rnncell.NumProjShards(3), rnncell.ForgetBias(0.5))
			},
			vars: "rnn/coupled_input_forget_gate_lstm_cell/W_0[3,12] rnn/coupled_input_forget_gate_lstm_cell/W_1[2,12] " +
				"rnn/coupled_input_forget_gate_lstm_cell/B[12] rnn/coupled_input_forget_gate_lstm_cell/W_F_diag[4] rnn/coupled_input_forget_gate_lstm_cell/W_O_diag[4] " +
				"rnn/coupled_input_forget_gate_lstm_cell/W_P_0[2,2] rnn/coupled_input_forget_gate_lstm_cell/W_P_1[1,2] rnn/coupled_input_forget_gate_lstm_cell/W_P_2[1,2]",
			ref: func(w weights) refStep {
				return refCIFG(w, "rnn/coupled_input_forget_gate_lstm_cell", cifgConf{n: 4, proj: 2, peep: true, projClip: 0.3, forgetBias: 0.5, wShards: 2, pShards: 3})
			},
		},
		cellCase{
			name: "CoupledInputForgetGateLSTMCell layer_norm, peepholes, state not a tuple",
			cell: func() rnncell.Cell {
				return rnncell.NewCoupledInputForgetGateLSTMCell(4, rnncell.LayerNorm(true), rnncell.UsePeepholes(true), rnncell.StateIsTuple(false))
			},
			vars: "rnn/coupled_input_forget_gate_lstm_cell/W_0[7,12] rnn/coupled_input_forget_gate_lstm_cell/B[12] " +
				"rnn/coupled_input_forget_gate_lstm_cell/transform/gamma[4] rnn/coupled_input_forget_gate_lstm_cell/transform/beta[4] " +
				"rnn/coupled_input_forget_gate_lstm_cell/forget/gamma[4] rnn/coupled_input_forget_gate_lstm_cell/forget/beta[4] " +
				"rnn/coupled_input_forget_gate_lstm_cell/output/gamma[4] rnn/coupled_input_forget_gate_lstm_cell/output/beta[4] " +
				"rnn/coupled_input_forget_gate_lstm_cell/W_F_diag[4] rnn/coupled_input_forget_gate_lstm_cell/W_O_diag[4] " +
				"rnn/coupled_input_forget_gate_lstm_cell/state/gamma[4] rnn/coupled_input_forget_gate_lstm_cell/state/beta[4]",
			ref: func(w weights) refStep {
				return refCIFG(w, "rnn/coupled_input_forget_gate_lstm_cell", cifgConf{n: 4, peep: true, ln: true, forgetBias: 1, concat: true, wShards: 1})
			},
		},
		cellCase{
			name: "UGRNNCell forget_bias 0.7",
			cell: func() rnncell.Cell { return rnncell.NewUGRNNCell(4, rnncell.ForgetBias(0.7)) },
			vars: "rnn/ugrnn_cell/kernel[7,8] rnn/ugrnn_cell/bias[8]",
			ref:  func(w weights) refStep { return refUGRNN(w, "rnn/ugrnn_cell", 4, 0.7) },
		},
		cellCase{
			name: "IntersectionRNNCell",
			cell: func() rnncell.Cell { return rnncell.NewIntersectionRNNCell(3) },
			vars: "rnn/intersection_rnn_cell/kernel[6,12] rnn/intersection_rnn_cell/bias[12]",
			ref:  func(w weights) refStep { return refIntersection(w, "rnn/intersection_rnn_cell", 3, 1, false) },
		},
		cellCase{
			name: "IntersectionRNNCell num_in_proj, forget_bias 0.2",
			cell: func() rnncell.Cell {
				return rnncell.NewIntersectionRNNCell(4, rnncell.NumInProj(4), rnncell.ForgetBias(0.2))
			},
			vars: "rnn/intersection_rnn_cell/in_projection/kernel[3,4] rnn/intersection_rnn_cell/in_projection/bias[4] " +
				"rnn/intersection_rnn_cell/kernel[8,16] rnn/intersection_rnn_cell/bias[16]",
			ref: func(w weights) refStep { return refIntersection(w, "rnn/intersection_rnn_cell", 4, 0.2, true) },
		},
		cellCase{
			name: "NASCell",
			cell: func() rnncell.Cell { return rnncell.NewNASCell(4) },
			vars: "rnn/nas_cell/recurrent_kernel[4,32] rnn/nas_cell/kernel[3,32]",
			ref:  func(w weights) refStep { return refNAS(w, "rnn/nas_cell", 4, 0, false) },
		},
		cellCase{
			name: "NASCell num_proj, use_bias",
			cell: func() rnncell.Cell { return rnncell.NewNASCell(4, rnncell.NumProj(2), rnncell.UseBias(true)) },
			vars: "rnn/nas_cell/recurrent_kernel[2,32] rnn/nas_cell/kernel[3,32] rnn/nas_cell/bias[32] rnn/nas_cell/projection_weights[4,2]",
			ref:  func(w weights) refStep { return refNAS(w, "rnn/nas_cell", 4, 2, true) },
		},
		cellCase{
			name: "HighwayWrapper of GRUCell",
			cell: func() rnncell.Cell { return rnncell.NewHighwayWrapper(rnncell.NewGRUCell(3)) },
			vars: "rnn/gru_cell/gates/kernel[6,6] rnn/gru_cell/gates/bias[6] rnn/gru_cell/candidate/kernel[6,3] rnn/gru_cell/candidate/bias[3] " +
				"rnn/carry_w[3,3] rnn/carry_b[3]",
			ref: func(w weights) refStep { return refHighway(w, "rnn", rnntest.GRU(w, "rnn/gru_cell", 3), true) },
		},
		cellCase{
			name: "HighwayWrapper of BasicLSTMCell, gates not coupled, carry_bias_init 0.5",
			cell: func() rnncell.Cell {
				return rnncell.NewHighwayWrapper(rnncell.NewBasicLSTMCell(3), rnncell.CoupleCarryTransformGates(false), rnncell.CarryBiasInit(0.5))
			},
			vars: "rnn/basic_lstm_cell/kernel[6,12] rnn/basic_lstm_cell/bias[12] rnn/carry_w[3,3] rnn/carry_b[3] rnn/transform_w[3,3] rnn/transform_b[3]",
			ref: func(w weights) refStep {
				return refHighway(w, "rnn", rnntest.BasicLSTM(w, "rnn/basic_lstm_cell", 3, 1, false), false)
			},
		},
		cellCase{
			name: "AttentionCellWrapper of LSTMCell, attn_length 3",
			cell: func() rnncell.Cell { return rnncell.NewAttentionCellWrapper(rnncell.NewLSTMCell(4), 3) },
			vars: "rnn/attention_cell_wrapper/kernel[7,3] rnn/attention_cell_wrapper/bias[3] " +
				"rnn/attention_cell_wrapper/lstm_cell/kernel[7,16] rnn/attention_cell_wrapper/lstm_cell/bias[16] " +
				"rnn/attention_cell_wrapper/attention/attn_w[1,1,4,4] rnn/attention_cell_wrapper/attention/attn_v[4] " +
				"rnn/attention_cell_wrapper/attention/kernel[8,4] rnn/attention_cell_wrapper/attention/bias[4] " +
				"rnn/attention_cell_wrapper/attn_output_projection/kernel[8,4] rnn/attention_cell_wrapper/attn_output_projection/bias[4]",
			ref: func(w weights) refStep {
				return refAttentionCell(w, "rnn/attention_cell_wrapper", refLSTM(w, "rnn/attention_cell_wrapper/lstm_cell", lstmConf{n: 4, forgetBias: 1}),
					attnConf{L: 3, A: 4, V: 4, inSize: 3, nInner: 2})
			},
		},
		cellCase{
			name: "AttentionCellWrapper of GRUCell, attn_size, attn_vec_size, input_size, state not a tuple",
			cell: func() rnncell.Cell {
				return rnncell.NewAttentionCellWrapper(rnncell.NewGRUCell(3), 2, rnncell.AttnSize(2), rnncell.AttnVecSize(5),
					rnncell.InputSize(4), rnncell.StateIsTuple(false))
			},
			vars: "rnn/attention_cell_wrapper/kernel[5,4] rnn/attention_cell_wrapper/bias[4] " +
				"rnn/attention_cell_wrapper/gru_cell/gates/kernel[7,6] rnn/attention_cell_wrapper/gru_cell/gates/bias[6] " +
				"rnn/attention_cell_wrapper/gru_cell/candidate/kernel[7,3] rnn/attention_cell_wrapper/gru_cell/candidate/bias[3] " +
				"rnn/attention_cell_wrapper/attention/attn_w[1,1,2,5] rnn/attention_cell_wrapper/attention/attn_v[5] " +
				"rnn/attention_cell_wrapper/attention/kernel[3,5] rnn/attention_cell_wrapper/attention/bias[5] " +
				"rnn/attention_cell_wrapper/attn_output_projection/kernel[5,2] rnn/attention_cell_wrapper/attn_output_projection/bias[2]",
			ref: func(w weights) refStep {
				return refAttentionCell(w, "rnn/attention_cell_wrapper", rnntest.GRU(w, "rnn/attention_cell_wrapper/gru_cell", 3),
					attnConf{L: 2, A: 2, V: 5, inSize: 4, nInner: 1, concat: true, innerSize: 3})
			},
		},
		cellCase{
			name: "MultiRNNCell of UGRNNCell, IntersectionRNNCell relu",
			cell: func() rnncell.Cell {
				return rnncell.NewMultiRNNCell([]rnncell.Cell{rnncell.NewUGRNNCell(2), rnncell.NewIntersectionRNNCell(2, rnncell.YActivation(tf.Relu))})
			},
			vars: "rnn/multi_rnn_cell/cell_0/ugrnn_cell/kernel[5,4] rnn/multi_rnn_cell/cell_0/ugrnn_cell/bias[4] " +
				"rnn/multi_rnn_cell/cell_1/intersection_rnn_cell/kernel[4,8] rnn/multi_rnn_cell/cell_1/intersection_rnn_cell/bias[8]",
			ref: func(w weights) refStep {
				return refMulti([]refStep{
					refUGRNN(w, "rnn/multi_rnn_cell/cell_0/ugrnn_cell", 2, 1),
					refIntersection(w, "rnn/multi_rnn_cell/cell_1/intersection_rnn_cell", 2, 1, false),
				}, []int{1, 1})
			},
		},
	)
}
