// CNcursesw is a plain C target (not a system-library target) so that it links on Linux
// (ncursesw) and macOS (ncurses) alike: see the linker settings in Package.swift.
#include "shim.h"
