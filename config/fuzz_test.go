package config

import (
	"os"
	"testing"
)

// FuzzParse checks that no input makes Parse panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(base))
	if data, err := os.ReadFile(examplePath); err == nil {
		f.Add(data)
	}
	f.Add([]byte("a: &a [*a]"))
	f.Add([]byte("units: [{id: 1, chats: {id: x}}]\ncampaign: {tasks: [{fields: [[1]]}]}"))
	f.Add([]byte("x: &x {y: 1}\nserver: *x\n<<: *x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, problems := Parse("f.yaml", data, nil)
		if cfg == nil && len(problems) == 0 {
			t.Error("nil config without problems")
		}
		for _, p := range problems {
			_ = p.String()
		}
	})
}
