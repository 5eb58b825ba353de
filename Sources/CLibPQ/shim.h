#ifndef MMETL_CLIBPQ_SHIM_H
#define MMETL_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
