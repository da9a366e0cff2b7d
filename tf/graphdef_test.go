package tf_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/tf"
)

func TestAsGraphDefText(t *testing.T) {
	g := tf.NewGraph()
	restore := g.AsDefault()
	tf.Placeholder(tf.Float32, tf.Shape{tf.None, 2}, tf.Name("X"))
	restore()
	gd, err := g.AsGraphDef()
	if err != nil {
		t.Fatal(err)
	}
	want := `node {
  name: "X"
  op: "Placeholder"
  attr {
    key: "_output_shapes"
    value {
      list {
        shape {
          dim {
            size: -1
          }
          dim {
            size: 2
          }
        }
      }
    }
  }
  attr {
    key: "dtype"
    value {
      type: DT_FLOAT
    }
  }
  attr {
    key: "shape"
    value {
      shape {
        dim {
          size: -1
        }
        dim {
          size: 2
        }
      }
    }
  }
}
versions {
  producer: 134
}
`
	if got := gd.String(); got != want {
		t.Errorf("GraphDef text:\n%s\nwant\n%s", got, want)
	}
}

// TestAsGraphDefProtoc decodes the binary GraphDef of a small network with
// protoc (against TF's message definitions) and compares it with the text
// form: the two encodings say the same.
func TestAsGraphDefProtoc(t *testing.T) {
	needProtoc(t)
	g := tf.NewGraph()
	restore := g.AsDefault()
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3}, tf.Name("X"))
	w := tf.NewVariable([][]float32{{1, 2}, {3, 4}, {5, 6.5}}, tf.Name("W"))
	b := tf.NewVariable([]float32{0.25, -1}, tf.Name("b"))
	y := tf.Tanh(tf.Add(tf.MatMul(x, w), b))
	tf.ReduceMean(y, tf.Name("loss"))
	tf.GlobalVariablesInitializer()
	restore()
	gd, err := g.AsGraphDef()
	if err != nil {
		t.Fatal(err)
	}
	out := protocDecode(t, gd)
	if out != gd.String() {
		t.Errorf("protoc reads\n%s\nthe text form is\n%s", out, gd.String())
	}
	for _, want := range []string{"op: \"MatMul\"", "op: \"VariableV2\"", "op: \"Tanh\"", "input: \"W\"", "key: \"transpose_a\""} {
		if !strings.Contains(out, want) {
			t.Errorf("GraphDef lacks %q", want)
		}
	}
}

func TestStringArrayFormat(t *testing.T) {
	d := tfimpl.NewDense(tf.Spec{DType: tf.String, Shape: tf.Shape{}})
	d.Set(0, "a'b\n\x01")
	if got, want := tf.NewArray(d).String(), `b'a\'b\n\x01'`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestAsGraphDefLoopBody: DynamicRNN's generic loop is written as TF
// 1.x's while loop of frame ops over TensorArrays, its step's ops inside
// the frame (protoc reads it; train's tests check it against TF's OpDefs
// and run it with TensorFlow.js).
func TestAsGraphDefLoopBody(t *testing.T) {
	needProtoc(t)
	g := tf.NewGraph()
	restore := g.AsDefault()
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3, 2}, tf.Name("X"))
	nn.DynamicRNN(rnn.NewGRUCell(4), x, rnn.DType(tf.Float32))
	restore()
	gd, err := g.AsGraphDef()
	if err != nil {
		t.Fatal(err)
	}
	text := protocDecode(t, gd)
	for _, want := range []string{
		"op: \"Enter\"", "op: \"Merge\"", "op: \"Switch\"", "op: \"LoopCond\"", "op: \"NextIteration\"",
		"op: \"Exit\"", "op: \"TensorArrayV3\"", "op: \"TensorArrayScatterV3\"", "op: \"TensorArrayReadV3\"",
		"op: \"TensorArrayWriteV3\"", "op: \"TensorArrayGatherV3\"",
		"s: \"rnn/while/while_context\"",
		"name: \"rnn/while/MatMul\"",
		"input: \"^rnn/while/Identity\"", // a constant of the body, in the frame
	} {
		if !strings.Contains(text, want) {
			t.Errorf("GraphDef lacks %q", want)
		}
	}
	for _, bad := range []string{"library {", "DynamicRNN"} {
		if strings.Contains(text, bad) {
			t.Errorf("GraphDef holds %q", bad)
		}
	}
	// The text form (floats as Python writes them, protoc prints 9
	// digits) encodes to the same bytes.
	enc := exec.Command("protoc", "--encode=tensorflow.GraphDef", "-I", "../internal/testdata", "tensorflow.proto")
	enc.Stdin = strings.NewReader(gd.String())
	bin, err := enc.Output()
	if err != nil || !bytes.Equal(bin, gd.Marshal()) {
		t.Errorf("the text form does not encode to the binary form (%v)", err)
	}
}
