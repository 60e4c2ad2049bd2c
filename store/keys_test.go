package store_test

import (
	"testing"

	"firebot/store"
)

// TestJoinKeyMatchesStoredLayout pins the composite-key format: keys built
// with JoinKey and KeyPrefix must equal, byte for byte, the literal keys
// earlier releases wrote (office acks, ledger marks, store indexes), or
// existing data would stop reading.
func TestJoinKeyMatchesStoredLayout(t *testing.T) {
	tests := []struct {
		name      string
		got, want string
	}{
		{"one part", store.JoinKey("GB-7"), "GB-7"},
		{"ack", store.JoinKey("GB-7", "u01"), "GB-7\x00u01"},
		{"not applicable", store.JoinKey("c2023", "u01", "t3"), "c2023\x00u01\x00t3"},
		{"empty part", store.JoinKey("a", "", "b"), "a\x00\x00b"},
		{"ack prefix", store.KeyPrefix("GB-7"), "GB-7\x00"},
		{"not applicable prefix", store.KeyPrefix("c2023", "u01"), "c2023\x00u01\x00"},
		{"separator", store.KeySep, "\x00"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
