# Helpers shared by every layer: one call per engine module and one per test.

# rag_add_core_module(<name> SOURCES ... [DEPS ...])
# Each folder of core/ is its own static library (rag_core_<name>) so that the
# dependencies *between* engine modules are enforced by the link graph, just as
# the layers are; rag_core links them all for the executables.
function(rag_add_core_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(rag_core_${name} STATIC ${ARG_SOURCES})
  add_library(rag::core_${name} ALIAS rag_core_${name})
  target_include_directories(rag_core_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(rag_core_${name} PUBLIC Qt6::Core ${ARG_DEPS})
  set_property(GLOBAL APPEND PROPERTY RAG_CORE_MODULES rag_core_${name})
endfunction()

# rag_add_test(<name> SOURCES ... LIBS ... [LABELS ...] [TIMEOUT s])
# One Qt Test executable per unit, registered with CTest. Tests find the shared
# datasets and the fetched assets through the environment set here.
function(rag_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
  target_compile_definitions(${name} PRIVATE
    RAG_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    RAG_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen"
    TIMEOUT ${ARG_TIMEOUT})
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()
