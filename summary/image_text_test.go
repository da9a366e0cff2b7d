package summary_test

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/summary"
	"github.com/gorgoflow/gorgoflow/tf"
)

// pngs returns the encoded_image_string of every Summary.Value.image, by
// tag, read with protowire (Summary.value = 1, Value.tag = 1, Value.image
// = 4, Image.encoded_image_string = 4).
func pngs(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	fields := func(b []byte, f func(protowire.Number, []byte)) {
		for len(b) > 0 {
			num, typ, n := protowire.ConsumeTag(b)
			b = b[n:]
			n = protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				t.Fatal(protowire.ParseError(n))
			}
			if typ == protowire.BytesType {
				v, _ := protowire.ConsumeBytes(b)
				f(num, v)
			}
			b = b[n:]
		}
	}
	out := map[string][]byte{}
	fields(b, func(num protowire.Number, v []byte) {
		if num != 1 {
			return
		}
		var tag string
		var img []byte
		fields(v, func(num protowire.Number, w []byte) {
			switch num {
			case 1:
				tag = string(w)
			case 4:
				fields(w, func(num protowire.Number, x []byte) {
					if num == 4 {
						img = x
					}
				})
			}
		})
		out[tag] = img
	})
	return out
}

// TestImageAndText: image summaries scaled and encoded as TF's
// ImageSummary (pixels computed by hand from its rules), the tags TF
// gives, and a text summary with the text plugin's metadata; protoc
// decodes them with TF's summary.proto.
func TestImageAndText(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	gray := placeholder.New(tf.Float32, tf.Shape{2, 2, 2, 1}, placeholder.Name("gray"))
	rgb := placeholder.New(tf.Float32, tf.Shape{1, 1, 1, 3}, placeholder.Name("rgb"))
	imgs := summary.Image("imgs", gray, 3)
	one := summary.Image("one", rgb, 1)
	text := summary.Text("notes", []string{"**loss** fell", "ok"})
	merged := summary.MergeAll()
	s := session.New(session.WithGraph(g))
	defer s.Close()
	nan := float32(math.NaN())
	v, err := s.Run([]tf.Fetch{imgs, one, text, merged}, session.Feed{
		gray: [][][][]float32{{{{0}, {1}}, {{2}, {4}}}, {{{-2}, {1}}, {{nan}, {0.5}}}},
		rgb:  [][][][]float32{{{{0.5, 0, 1}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	raw := func(i int) []byte {
		if s, ok := v[i].Data().(string); ok {
			return []byte(s)
		}
		return []byte(v[i].Data().([]string)[0])
	}
	// TF's rules: non-negative images scale by 255/max; others by
	// 127/max|x| plus 128; truncation; NaN pixels bad_color (255 in the
	// first channel).
	want := map[string][]uint8{
		"imgs/image/0": {0, 63, 127, 255},  // 0, 63.75, 127.5, 255
		"imgs/image/1": {1, 191, 255, 159}, // -2*63.5+128, 191.5, NaN, 159.75
	}
	got := pngs(t, raw(0))
	if len(got) != 2 {
		t.Errorf("image summary tags %v, want imgs/image/0 and imgs/image/1", got)
	}
	for tag, px := range want {
		img, err := png.Decode(bytes.NewReader(got[tag]))
		if err != nil {
			t.Fatalf("%s: %v", tag, err)
		}
		g, ok := img.(*image.Gray)
		if !ok || g.Rect.Dx() != 2 || g.Rect.Dy() != 2 {
			t.Fatalf("%s: %T %v, want a 2x2 grayscale image", tag, img, img.Bounds())
		}
		if !bytes.Equal(g.Pix, px) {
			t.Errorf("%s: pixels %v, want %v", tag, g.Pix, px)
		}
	}
	got = pngs(t, raw(1))
	img, err := png.Decode(bytes.NewReader(got["one/image"]))
	if err != nil {
		t.Fatalf("one/image: %v (tags %v)", err, got)
	}
	if r, gg, b, _ := img.At(0, 0).RGBA(); r>>8 != 127 || gg>>8 != 0 || b>>8 != 255 {
		t.Errorf("RGB pixel %d %d %d, want 127 0 255", r>>8, gg>>8, b>>8)
	}
	for i, wants := range [][]string{
		{`tag: "imgs/image/0"`, "height: 2", "width: 2", "colorspace: 1", `tag: "imgs/image/1"`},
		{`tag: "one/image"`, "colorspace: 3"},
		{`tag: "notes"`, `plugin_name: "text"`, "dtype: DT_STRING", `string_val: "**loss** fell"`, `string_val: "ok"`, "size: 2"},
		{`tag: "imgs/image/0"`, `tag: "one/image"`, `tag: "notes"`},
	} {
		text := decode(t, "Summary", raw(i))
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("summary %d lacks %q:\n%s", i, w, text)
			}
		}
	}
	if e := summary.Image("bad", gray, 0); e.Err() == nil {
		t.Error("max_outputs 0 accepted")
	}
	if e := summary.Text("bad", tf.Constant([]float32{1}, tf.Float32)); e.Err() == nil {
		t.Error("a float text summary accepted")
	}
	if e := summary.Text("bad", 3); e.Err() == nil {
		t.Error("an int text accepted")
	}
}
