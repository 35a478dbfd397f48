#ifndef SHIFTLOG_CLMDB_SHIM_H
#define SHIFTLOG_CLMDB_SHIM_H
#include <lmdb.h>
#endif
