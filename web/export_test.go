package web

// Files returns the app's files for cfg, for the tests of package web_test.
var Files = appFiles
