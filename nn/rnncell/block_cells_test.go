package rnncell_test

import (
	"math"

	"github.com/gorgoflow/gorgoflow/nn/rnncell"
)

// The cells of TF's lstm_ops.py and gru_ops.py, checked by
// TestCellsMatchReference and TestCellsGradients as the others.
func init() {
	cellCases = append(cellCases,
		cellCase{
			name: "LSTMBlockCell",
			cell: func() rnncell.Cell { return rnncell.NewLSTMBlockCell(4) },
			vars: "rnn/lstm_cell/kernel[7,16] rnn/lstm_cell/bias[16]",
			ref:  func(w weights) refStep { return refLSTMBlock(w, "rnn/lstm_cell", 4, 1, false, -1) },
		},
		cellCase{
			name: "LSTMBlockCell use_peephole, cell_clip 0.4, forget_bias 0.5",
			cell: func() rnncell.Cell {
				return rnncell.NewLSTMBlockCell(4, rnncell.UsePeephole(true), rnncell.CellClip(0.4), rnncell.ForgetBias(0.5))
			},
			vars: "rnn/lstm_cell/kernel[7,16] rnn/lstm_cell/bias[16] rnn/lstm_cell/w_i_diag[4] rnn/lstm_cell/w_f_diag[4] rnn/lstm_cell/w_o_diag[4]",
			ref:  func(w weights) refStep { return refLSTMBlock(w, "rnn/lstm_cell", 4, 0.5, true, 0.4) },
		},
		cellCase{
			name: "LSTMBlockCell use_peepholes (LSTMCell's spelling), cell_clip -1 (no clipping)",
			cell: func() rnncell.Cell {
				return rnncell.NewLSTMBlockCell(2, rnncell.UsePeepholes(true), rnncell.CellClip(-1))
			},
			vars: "rnn/lstm_cell/kernel[5,8] rnn/lstm_cell/bias[8] rnn/lstm_cell/w_i_diag[2] rnn/lstm_cell/w_f_diag[2] rnn/lstm_cell/w_o_diag[2]",
			ref:  func(w weights) refStep { return refLSTMBlock(w, "rnn/lstm_cell", 2, 1, true, -1) },
		},
		cellCase{
			name: "LSTMBlockCell cell_clip 0 (no clipping)",
			cell: func() rnncell.Cell { return rnncell.NewLSTMBlockCell(3, rnncell.CellClip(0)) },
			vars: "rnn/lstm_cell/kernel[6,12] rnn/lstm_cell/bias[12]",
			ref:  func(w weights) refStep { return refLSTMBlock(w, "rnn/lstm_cell", 3, 1, false, 0) },
		},
		cellCase{
			name: "GRUBlockCell",
			cell: func() rnncell.Cell { return rnncell.NewGRUBlockCell(4) },
			vars: "rnn/gru_cell/w_ru[7,8] rnn/gru_cell/b_ru[8] rnn/gru_cell/w_c[7,4] rnn/gru_cell/b_c[4]",
			ref: func(w weights) refStep {
				return refGRUBlock(w, "rnn/gru_cell/w_ru", "rnn/gru_cell/b_ru", "rnn/gru_cell/w_c", "rnn/gru_cell/b_c", 4)
			},
		},
		cellCase{
			name: "GRUBlockCellV2",
			cell: func() rnncell.Cell { return rnncell.NewGRUBlockCellV2(4) },
			vars: "rnn/gru_cell/gates/kernel[7,8] rnn/gru_cell/gates/bias[8] rnn/gru_cell/candidate/kernel[7,4] rnn/gru_cell/candidate/bias[4]",
			ref: func(w weights) refStep {
				return refGRUBlock(w, "rnn/gru_cell/gates/kernel", "rnn/gru_cell/gates/bias", "rnn/gru_cell/candidate/kernel", "rnn/gru_cell/candidate/bias", 4)
			},
		},
		cellCase{
			name: "MultiRNNCell of LSTMBlockCell peephole, GRUBlockCellV2",
			cell: func() rnncell.Cell {
				return rnncell.NewMultiRNNCell([]rnncell.Cell{rnncell.NewLSTMBlockCell(4, rnncell.UsePeephole(true)), rnncell.NewGRUBlockCellV2(2)})
			},
			vars: "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel[7,16] rnn/multi_rnn_cell/cell_0/lstm_cell/bias[16] " +
				"rnn/multi_rnn_cell/cell_0/lstm_cell/w_i_diag[4] rnn/multi_rnn_cell/cell_0/lstm_cell/w_f_diag[4] rnn/multi_rnn_cell/cell_0/lstm_cell/w_o_diag[4] " +
				"rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel[6,4] rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias[4] " +
				"rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel[6,2] rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias[2]",
			ref: func(w weights) refStep {
				return refMulti([]refStep{
					refLSTMBlock(w, "rnn/multi_rnn_cell/cell_0/lstm_cell", 4, 1, true, -1),
					refGRUBlock(w, "rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel", "rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias",
						"rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel", "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias", 2),
				}, []int{2, 1})
			},
		},
	)
}

// refLSTMBlock: the equations of TF's LSTMBlockCell op (lstm_ops.py's
// _lstm_block_cell docstring), gate order i, ci, f, o; clipping only for
// cellClip > 0.
func refLSTMBlock(w weights, scope string, n int, forgetBias float64, peep bool, cellClip float64) refStep {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		csPrev, hPrev := s[0], s[1]
		z := affine(x, hPrev, w[scope+"/kernel"], w[scope+"/bias"], 4*n)
		cs, h := make([]float64, n), make([]float64, n)
		for k := 0; k < n; k++ {
			var wci, wcf, wco float64
			if peep {
				wci, wcf, wco = w[scope+"/w_i_diag"][k], w[scope+"/w_f_diag"][k], w[scope+"/w_o_diag"][k]
			}
			i := sigmoid(csPrev[k]*wci + z[k])
			ci := math.Tanh(z[n+k])
			f := sigmoid(csPrev[k]*wcf + z[2*n+k] + forgetBias)
			cs[k] = ci*i + csPrev[k]*f
			if cellClip > 0 {
				cs[k] = clip(cs[k], cellClip)
			}
			o := sigmoid(cs[k]*wco + z[3*n+k])
			h[k] = math.Tanh(cs[k]) * o
		}
		return h, [][]float64{cs, h}
	}
}

// refGRUBlock: the equations of TF's GRUBlockCell op (gru_ops.py's
// docstring), w_ru the gates' kernel and w_c the candidate's (given by
// name).
func refGRUBlock(w weights, wRU, bRU, wC, bC string, n int) refStep {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		hPrev := s[0]
		ru := affine(x, hPrev, w[wRU], w[bRU], 2*n)
		hPrevR := make([]float64, n)
		u := make([]float64, n)
		for k := 0; k < n; k++ {
			hPrevR[k] = hPrev[k] * sigmoid(ru[k])
			u[k] = sigmoid(ru[n+k])
		}
		cBar := affine(x, hPrevR, w[wC], w[bC], n)
		h := make([]float64, n)
		for k := 0; k < n; k++ {
			h[k] = (1-u[k])*math.Tanh(cBar[k]) + u[k]*hPrev[k]
		}
		return h, [][]float64{h}
	}
}
