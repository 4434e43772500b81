/* status.c: messages for the core's status codes. */
#include "pos_core.h"

const char *pos_strerror(int status)
{
    switch (status) {
    case POS_OK: return "ok";
    case POS_ENOMEM: return "out of memory";
    case POS_EINVAL: return "invalid argument";
    case POS_ESTATE: return "call not allowed in the current state";
    case POS_ERANGE: return "index out of range";
    case POS_ESPACE: return "buffer too small";
    case POS_EOVERFLOW: return "count overflow";
    default: return "unknown status";
    }
}
