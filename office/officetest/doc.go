// Package officetest is the test harness of the office packages: the real
// router (handlers plus the office features a test names, as Feature) on
// an embedded store seeded with the example configuration's roster, a fake
// campaign clock, one unit of work per message, and readers for what was
// pushed and audited. FakeExporter and FakeCharter stand in for the
// workbook.
package officetest
