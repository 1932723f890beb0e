# Builds a fixture site (a folder of site.json and content/ only) with the repository's themes,
# as a user would: cmake -DPLAINSIGHT=… -DSITE=… -DTHEMES=… -DWORK=… -P build_fixture_site.cmake
# The built site is WORK/public. The fixture gets the accessibility statement every site's
# footer links to (the C++ fixture test writes the same page).
file(REMOVE_RECURSE ${WORK})
file(COPY ${SITE}/ DESTINATION ${WORK})
file(COPY ${THEMES} DESTINATION ${WORK})
if(NOT EXISTS ${WORK}/content/accessibility.md)
  file(WRITE ${WORK}/content/accessibility.md "---\ntitle: Accessibility\n---\n\nHow this site meets WCAG 2.2 AA.\n")
endif()
execute_process(COMMAND ${PLAINSIGHT} build --strict --quiet --site ${WORK} --out ${WORK}/public RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "plainsight build of ${SITE} failed (${result})")
endif()
