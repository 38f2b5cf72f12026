// CNcursesw is a plain C target (not a system-library target) so that it links on Linux
// (ncursesw) and macOS (ncurses) alike: see the linker settings in Package.swift.
#include "shim.h"

#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios tt_saved_modes;
static int tt_have_saved_modes = 0;
static const int tt_fatal_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
#define TT_FATAL_COUNT (sizeof tt_fatal_signals / sizeof tt_fatal_signals[0])
static struct sigaction tt_previous[TT_FATAL_COUNT];

void tt_restore_terminal_now(void) {
    if (tt_have_saved_modes) tcsetattr(STDIN_FILENO, TCSANOW, &tt_saved_modes);
    static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";
    ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
    (void)ignored;
}

static void tt_crash_handler(int signal_number) {
    tt_restore_terminal_now();
    for (unsigned i = 0; i < TT_FATAL_COUNT; i++) {
        if (tt_fatal_signals[i] == signal_number) {
            sigaction(signal_number, &tt_previous[i], NULL);
            break;
        }
    }
    raise(signal_number);
}

void tt_install_crash_restore(void) {
    if (tcgetattr(STDIN_FILENO, &tt_saved_modes) == 0) tt_have_saved_modes = 1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = tt_crash_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_ONSTACK;
    for (unsigned i = 0; i < TT_FATAL_COUNT; i++) {
        sigaction(tt_fatal_signals[i], &action, &tt_previous[i]);
    }
}
