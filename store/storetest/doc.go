// Package storetest is the conformance suite every store.Store backend runs.
//
// A backend's test calls Run with a function that opens a fresh, empty store
// whose real clock is the given fake:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, real *clock.Fake) store.Store {
//			s, err := embedded.Open(filepath.Join(t.TempDir(), "db"), embedded.Options{Real: real})
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
//
// Run runs every sub-suite as a subtest; each test opens its own store, so a
// backend needs no cleanup between tests. The suite is a list of named test
// functions (see Suites): to cover a new helper, write its tests in a new file
// of this package as a []Test and append that list in Suites.
//
// BenchUpdateParallel is a shared benchmark body for backends' benchmarks.
package storetest
