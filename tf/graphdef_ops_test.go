package tf_test

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/tf"
)

// needProtoc skips the test when protoc is not installed.
func needProtoc(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("protoc"); err != nil {
		t.Skip("protoc is not installed (apt-get install protobuf-compiler); CI installs it")
	}
}

// protocDecode decodes gd's binary form with protoc (against TF's message
// definitions) and returns protoc's text form.
func protocDecode(t *testing.T, gd *tf.GraphDef) string {
	t.Helper()
	cmd := exec.Command("protoc", "--decode=tensorflow.GraphDef", "-I", "../internal/testdata", "tensorflow.proto")
	cmd.Stdin = bytes.NewReader(gd.Marshal())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("protoc: %v: %s", err, out)
	}
	return string(out)
}

// protocNode decodes gd with protoc and returns the text of its node named
// name.
func protocNode(t *testing.T, gd *tf.GraphDef, name string) string {
	t.Helper()
	out := protocDecode(t, gd)
	for _, n := range strings.Split(out, "\nnode {")[1:] {
		if strings.Contains(n, "\n  name: \""+name+"\"\n") {
			return n
		}
	}
	t.Fatalf("no node %q in\n%s", name, out)
	return ""
}

// oneLine joins the lines of protoc's text form with single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestAsGraphDefFixedUnigram: FixedUnigramCandidateSampler is written as
// TF's op with the unigrams, distortion and reserved ids given (no vocab
// file, one shard), true_classes cast to int64.
func TestAsGraphDefFixedUnigram(t *testing.T) {
	needProtoc(t)
	g := tf.NewGraph()
	restore := g.AsDefault()
	tf.SetRandomSeed(4)
	labels := tf.Placeholder(tf.Int32, tf.Shape{tf.None, 2}, tf.Name("labels"))
	nn.FixedUnigramCandidateSampler(labels, 2, 3, false, 5, tf.Unigrams([]float64{4, 2, 1, 0.5}),
		tf.Distortion(0.75), tf.NumReservedIDs(1), tf.Seed(9), tf.Name("sampler"))
	restore()
	gd, err := g.AsGraphDef()
	if err != nil {
		t.Fatal(err)
	}
	text := oneLine(protocNode(t, gd, "sampler"))
	for _, want := range []string{
		`op: "FixedUnigramCandidateSampler"`,
		`input: "sampler/Cast"`,
		`key: "unigrams" value { list { f: 4 f: 2 f: 1 f: 0.5 } }`,
		`key: "distortion" value { f: 0.75 }`,
		`key: "num_reserved_ids" value { i: 1 }`,
		`key: "range_max" value { i: 5 }`,
		`key: "num_true" value { i: 2 }`,
		`key: "num_sampled" value { i: 3 }`,
		`key: "unique" value { b: false }`,
		`key: "seed2" value { i: 9 }`,
		`key: "num_shards" value { i: 1 }`,
		`key: "vocab_file" value { s: "" }`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the sampler's node lacks %s:\n%s", want, text)
		}
	}
}

// TestAsGraphDefSplitV: tf.Split by sizes is written as TF's SplitV with
// the sizes as given (-1 included) and the axis.
func TestAsGraphDefSplitV(t *testing.T) {
	needProtoc(t)
	g := tf.NewGraph()
	restore := g.AsDefault()
	x := tf.Placeholder(tf.Float32, tf.Shape{2, 7}, tf.Name("x"))
	parts := tf.Split(x, []int{3, -1, 1}, 1, tf.Name("split"))
	restore()
	if len(parts) != 3 || !parts[1].Shape().Equal(tf.Shape{2, 3}) {
		t.Fatalf("pieces %v", parts)
	}
	gd, err := g.AsGraphDef()
	if err != nil {
		t.Fatal(err)
	}
	text := oneLine(protocNode(t, gd, "split"))
	for _, want := range []string{`op: "SplitV"`, `input: "x" input: "split/size_splits" input: "split/split_dim"`,
		`key: "num_split" value { i: 3 }`, `key: "Tlen" value { type: DT_INT32 }`, `key: "T" value { type: DT_FLOAT }`} {
		if !strings.Contains(text, want) {
			t.Errorf("the split's node lacks %s:\n%s", want, text)
		}
	}
	sizes := oneLine(protocNode(t, gd, "split/size_splits"))
	if !regexp.MustCompile(`tensor_content: "\\003\\000\\000\\000\\377\\377\\377\\377\\001\\000\\000\\000"|int_val: 3 int_val: -1 int_val: 1`).MatchString(sizes) {
		t.Errorf("size_splits is not [3, -1, 1]:\n%s", sizes)
	}
	for i, p := range parts {
		if name, ok := gd.TensorName(p); !ok || name != "split:"+string(rune('0'+i)) {
			t.Errorf("piece %d is %q in the GraphDef, want split:%d", i, name, i)
		}
	}
}
