// CNcursesw: the C side of the terminal UI. Swift cannot import ncurses' macros (stdscr, LINES,
// COLS, A_BOLD, ACS_* …), so they are exposed here as functions. Wide-character support
// (Unicode box drawing, braille plots) needs _XOPEN_SOURCE_EXTENDED before the header, and
// setlocale(LC_ALL, "") before initscr().
#pragma once

#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>

#if defined(__APPLE__)
// macOS ships ncurses (wide-character capable) in its SDK as <curses.h>.
#include <curses.h>
#elif __has_include(<ncursesw/ncurses.h>)
#include <ncursesw/ncurses.h>
#elif __has_include(<ncurses.h>)
#include <ncurses.h>
#else
#error "ncurses headers not found. Install them: sudo apt-get install libncurses-dev (Debian/Ubuntu), sudo dnf install ncurses-devel (Fedora)."
#endif

static inline WINDOW *tt_stdscr(void) { return stdscr; }
static inline int tt_lines(void) { return LINES; }
static inline int tt_cols(void) { return COLS; }
static inline int tt_colors(void) { return COLORS; }
static inline int tt_color_pair(int pair) { return (int)COLOR_PAIR(pair); }
static inline int tt_color_pairs(void) { return COLOR_PAIRS; }
// Attributes and a colour pair by number: COLOR_PAIR() in the attributes holds only pairs 0–255;
// wattr_set (a macro) takes any pair up to 32767.
static inline int tt_attr_set(WINDOW *window, int attributes, int pair) {
    return wattr_set(window, (attr_t)attributes, (short)pair, NULL);
}
static inline int tt_a_bold(void) { return (int)A_BOLD; }
static inline int tt_a_dim(void) { return (int)A_DIM; }
static inline int tt_a_reverse(void) { return (int)A_REVERSE; }
static inline int tt_a_underline(void) { return (int)A_UNDERLINE; }
static inline int tt_a_normal(void) { return (int)A_NORMAL; }
static inline int tt_key_resize(void) { return KEY_RESIZE; }
static inline int tt_err(void) { return ERR; }
static inline FILE *tt_stdout(void) { return stdout; }
static inline FILE *tt_stdin(void) { return stdin; }
static inline int tt_key_code_yes(void) { return KEY_CODE_YES; }
static inline int tt_ok(void) { return OK; }

// Restoring the terminal when the tutor itself crashes. ncurses' endwin() is not safe in a signal
// handler, so the terminal modes saved at start are put back with tcsetattr and the screen with
// escape sequences (leave the alternate screen, show the cursor, reset attributes), then the
// signal goes on to whatever handled it before (the Swift runtime's backtrace, or the default).
void tt_install_crash_restore(void);
// The same restoration, for a last-resort exit (async-signal-safe).
void tt_restore_terminal_now(void);
