package ledger_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"firebot/ledger"
	"firebot/store"
)

func TestDecodeConfirmation(t *testing.T) {
	for _, tc := range []struct {
		name    string
		rec     store.Record
		want    ledger.Confirmation
		wantErr string
	}{
		{name: "fields and flags",
			rec: store.Record{ID: "HD-0001", Kind: store.KindConfirmation,
				Data: []byte(`{"date":"2023-11-05","fields":{"participants":"120"},"place":"社区广场","photos":["a.jpg"],"late":true,"also_tasks":["all_hands_drill"],"returned_by":"zhujun"}`)},
			want: ledger.Confirmation{Date: "2023-11-05", Fields: map[string]string{"participants": "120"}, Place: "社区广场",
				Photos: []string{"a.jpg"}, Late: true, AlsoTasks: []string{"all_hands_drill"}, ReturnedBy: "zhujun"}},
		{name: "no payload is the zero confirmation",
			rec: store.Record{ID: "HD-0002", Kind: store.KindConfirmation}},
		{name: "unknown keys are ignored",
			rec:  store.Record{ID: "HD-0003", Kind: store.KindConfirmation, Data: []byte(`{"date":"2023-11-06","future":1}`)},
			want: ledger.Confirmation{Date: "2023-11-06"}},
		{name: "a nomination is not a confirmation",
			rec:     store.Record{ID: "TJ-0001", Kind: store.KindNomination, Data: []byte(`{}`)},
			wantErr: "TJ-0001 is not a confirmation"},
		{name: "broken payload",
			rec:     store.Record{ID: "HD-0004", Kind: store.KindConfirmation, Data: []byte(`{"date":`)},
			wantErr: "decode HD-0004"},
		{name: "wrong type",
			rec:     store.Record{ID: "HD-0005", Kind: store.KindConfirmation, Data: []byte(`{"late":"yes"}`)},
			wantErr: "decode HD-0005"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ledger.DecodeConfirmation(&tc.rec)
			checkErr(t, err, tc.wantErr)
			if tc.wantErr == "" && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestDecodeNomination(t *testing.T) {
	for _, tc := range []struct {
		name    string
		rec     store.Record
		want    ledger.Nomination
		wantErr string
	}{
		{name: "a person",
			rec: store.Record{ID: "TJ-0001", Kind: store.KindNomination,
				Data: []byte(`{"nominee_kind":"个人","name":"李秀英","affiliation":"学田湾社区","years":6,"scope":2,"deeds":"常年入户宣传。","phone":"13812345678","recommender_id":"zhangsan","under_years":false}`)},
			want: ledger.Nomination{NomineeKind: "个人", Name: "李秀英", Affiliation: "学田湾社区", Years: 6, Scope: 2,
				Deeds: "常年入户宣传。", Phone: "13812345678", RecommenderID: "zhangsan"}},
		{name: "late, under the years, redacted",
			rec: store.Record{ID: "TJ-0002", Kind: store.KindNomination,
				Data: []byte(`{"nominee_kind":"集体","name":"志愿队","years":1,"years_reason":"新成立","late":true,"under_years":true,"redacted":true}`)},
			want: ledger.Nomination{NomineeKind: "集体", Name: "志愿队", Years: 1, YearsReason: "新成立", Late: true, UnderYears: true, Redacted: true}},
		{name: "no payload is the zero nomination",
			rec: store.Record{ID: "TJ-0003", Kind: store.KindNomination}},
		{name: "a confirmation is not a nomination",
			rec:     store.Record{ID: "HD-0001", Kind: store.KindConfirmation, Data: []byte(`{}`)},
			wantErr: "HD-0001 is not a nomination"},
		{name: "a broadcast is not a nomination",
			rec:     store.Record{ID: "GB-0001", Kind: store.KindBroadcast},
			wantErr: "GB-0001 is not a nomination"},
		{name: "years as text",
			rec:     store.Record{ID: "TJ-0004", Kind: store.KindNomination, Data: []byte(`{"years":"五"}`)},
			wantErr: "decode TJ-0004"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ledger.DecodeNomination(&tc.rec)
			checkErr(t, err, tc.wantErr)
			if tc.wantErr == "" && got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// Encode writes what Decode reads back.
func TestEncodeRoundTrip(t *testing.T) {
	c := ledger.Confirmation{Date: "2023-11-05", Fields: map[string]string{"participants": "80"}, AlsoTasks: []string{"evacuation_drill"}, Late: true}
	r := &store.Record{ID: "HD-0009", Kind: store.KindConfirmation}
	if err := ledger.Encode(r, c); err != nil {
		t.Fatal(err)
	}
	got, err := ledger.DecodeConfirmation(r)
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("round trip: %+v, %v; want %+v", got, err, c)
	}
	if also := ledger.AlsoTasksOf(r); !slices.Equal(also, c.AlsoTasks) {
		t.Errorf("AlsoTasksOf = %q", also)
	}

	n := ledger.Nomination{NomineeKind: "个人", Name: "何老师", Years: 8, Deeds: strings.Repeat("排查。", 300)}
	r = &store.Record{ID: "TJ-0009", Kind: store.KindNomination}
	if err := ledger.Encode(r, n); err != nil {
		t.Fatal(err)
	}
	if got, err := ledger.DecodeNomination(r); err != nil || got != n {
		t.Fatalf("round trip: %+v, %v", got, err)
	}

	if err := ledger.Encode(r, map[string]any{"bad": func() {}}); err == nil || !strings.Contains(err.Error(), "encode TJ-0009") {
		t.Errorf("encoding a func: %v", err)
	}
}

func TestAlsoTasksOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		rec  store.Record
		want []string
	}{
		{"none named", store.Record{Kind: store.KindConfirmation, Data: []byte(`{"date":"2023-11-05"}`)}, nil},
		{"no payload", store.Record{Kind: store.KindConfirmation}, nil},
		{"two tasks", store.Record{Kind: store.KindConfirmation, Data: []byte(`{"also_tasks":["a","b"]}`)}, []string{"a", "b"}},
		{"empty list", store.Record{Kind: store.KindConfirmation, Data: []byte(`{"also_tasks":[]}`)}, []string{}},
		{"a nomination never counts for tasks", store.Record{Kind: store.KindNomination, Data: []byte(`{"also_tasks":["a"]}`)}, nil},
		{"broken payload", store.Record{Kind: store.KindConfirmation, Data: []byte(`{"also_tasks":["a"`)}, nil},
		{"wrong type", store.Record{Kind: store.KindConfirmation, Data: []byte(`{"also_tasks":"a"}`)}, nil},
		{"the words in a value only", store.Record{Kind: store.KindConfirmation, Data: []byte(`{"description":"\"also_tasks\""}`)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ledger.AlsoTasksOf(&tc.rec)
			if !slices.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Fatalf("error %v, want one containing %q", err, want)
	}
}
