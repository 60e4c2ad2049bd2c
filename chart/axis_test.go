package chart

import (
	"image"
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/campaign"
)

func isBarRed(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return r>>8 > 190 && g>>8 < 90 && b>>8 < 80
}

// redRuns are the horizontal runs of bar red: for each row with red, the
// first and last red pixel.
type span struct{ y, x0, x1 int }

func redRuns(img image.Image) []span {
	var out []span
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		x0, x1 := -1, -1
		for x := b.Min.X; x < b.Max.X; x++ {
			if isBarRed(img, x, y) {
				if x0 < 0 {
					x0 = x
				}
				x1 = x
			}
		}
		if x0 >= 0 {
			out = append(out, span{y, x0, x1})
		}
	}
	return out
}

// axisRuns are the x axis lines: rows with a dark span longer than half the
// image, with its ends.
func axisRuns(img image.Image) []span {
	var out []span
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		best, start := span{}, -1
		for x := b.Min.X; x <= b.Max.X; x++ {
			if x < b.Max.X && dark(img.At(x, y)) {
				if start < 0 {
					start = x
				}
				continue
			}
			if start >= 0 && x-start > best.x1-best.x0 {
				best = span{y, start, x - 1}
			}
			start = -1
		}
		if best.x1-best.x0 > b.Dx()/2 {
			out = append(out, best)
		}
	}
	return out
}

// The x axis ends at 100%: a full bar ends where the axis line ends, and a
// 75% bar covers three quarters of it. The nominations panel is drawn with
// its own bars.
func TestAxisEndsAt100(t *testing.T) {
	d := Data{Title: "进度", Sectors: []Bar{{"北片板块", 10, 10}, {"南片板块", 1, 4}},
		Nominations: []NominationBar{{Label: "社区", Units: 3, Asked: 4, People: 5}}}
	img := decode(t, must(t, d))
	axes := axisRuns(img)
	if len(axes) == 0 {
		t.Fatal("no axis line found")
	}
	axis := axes[0]
	runs := redRuns(img)
	if len(runs) == 0 {
		t.Fatal("no bars found")
	}
	// The full bar: the longest red span above the first axis.
	var full span
	for _, r := range runs {
		if r.y < axis.y && r.x1-r.x0 > full.x1-full.x0 {
			full = r
		}
	}
	if diff := full.x1 - axis.x1; diff < -3 || diff > 3 {
		t.Errorf("full bar ends at x=%d, the axis at x=%d: the axis does not end at 100%%", full.x1, axis.x1)
	}
	// The nominations panel: a bar below the last task axis, 75% long.
	var nom span
	for _, r := range runs {
		if r.y > axis.y+20 && r.x1-r.x0 > nom.x1-nom.x0 {
			nom = r
		}
	}
	if nom.x1 == 0 {
		t.Fatal("no nominations bar below the tasks")
	}
	var nomAxis span
	for _, a := range axes {
		if a.y > nom.y {
			nomAxis = a
			break
		}
	}
	if nomAxis.x1 == 0 {
		t.Fatal("no axis under the nominations panel")
	}
	share := float64(nom.x1-nomAxis.x0) / float64(nomAxis.x1-nomAxis.x0)
	if share < 0.73 || share > 0.77 {
		t.Errorf("nominations bar covers %.3f of its axis, want 0.75", share)
	}
}

func must(t *testing.T, d Data) []byte {
	t.Helper()
	b, err := Progress(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTallyNominations(t *testing.T) {
	tl := NewTally(nil)
	tl.AddNominations(campaign.Unit{Kind: campaign.KindCommunity}, 2)
	tl.AddNominations(campaign.Unit{Kind: campaign.KindCommunity}, 0)
	tl.AddNominations(campaign.Unit{Kind: campaign.KindOrganisation}, 1)
	want := []NominationBar{{Label: "社区", Units: 1, Asked: 2, People: 2}, {Label: "社会单位", Units: 1, Asked: 1, People: 1}}
	if diff := cmp.Diff(want, tl.Data("t", "").Nominations); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
